/** The {@code pirt} command-line tool. */
package io.pirt.tools;
