/**
 * Who may change the board through its console port (docs/protocol.md §5.7,
 * docs/raspberry-pi.md "What the port gives"): the board's access settings
 * ({@link io.pirt.runtime.access.Access}) and the proof of a trusted key each tool session
 * may give ({@link io.pirt.runtime.access.SessionProofs}).
 */
package io.pirt.runtime.access;
