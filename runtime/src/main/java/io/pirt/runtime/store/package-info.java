/**
 * The bundle store on the board: two slots (A and B) and a state file, specified in
 * {@code docs/store.md} (version 1). {@link io.pirt.runtime.store.BundleStore} installs an
 * already-verified bundle into the slot that is not running, puts it on trial, commits or
 * rolls it back, and at boot decides which slot runs. Every change is atomic and goes through
 * one seam, {@link io.pirt.runtime.store.FileOps}, so tests can cut the power at each step.
 */
package io.pirt.runtime.store;
