/**
 * The bundle: one file that carries an application to a board, verified before anything
 * on the board changes. The format is docs/bundle.md (version 1). The host side builds
 * and signs ({@link io.pirt.bundle.SigningKeys}, {@link io.pirt.bundle.BundleWriter});
 * the board verifies and extracts ({@link io.pirt.bundle.TrustedKeys},
 * {@link io.pirt.bundle.BundleVerifier}, {@link io.pirt.bundle.VerifiedBundle}). Both
 * write through {@link io.pirt.bundle.Durable}, pirt's one implementation of fsync and atomic
 * rename, which the board's bundle store uses too.
 */
package io.pirt.bundle;
