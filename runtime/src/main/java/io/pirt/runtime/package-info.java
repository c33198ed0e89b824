/** The daemon on the board: serial console, bundle store, application supervisor, watchdog. */
package io.pirt.runtime;
