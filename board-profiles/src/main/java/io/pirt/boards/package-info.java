/** Board profiles: one data file per board, a loader that checks them, and detection at boot. */
package io.pirt.boards;
