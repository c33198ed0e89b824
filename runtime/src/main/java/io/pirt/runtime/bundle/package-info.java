/**
 * The bundle: one file that carries an application to a board, verified before anything
 * on the board changes. The format is docs/bundle.md (version 1). The host side builds
 * and signs ({@link io.pirt.runtime.bundle.SigningKeys}, {@link io.pirt.runtime.bundle.BundleWriter});
 * the board verifies and extracts ({@link io.pirt.runtime.bundle.TrustedKeys},
 * {@link io.pirt.runtime.bundle.BundleVerifier}, {@link io.pirt.runtime.bundle.VerifiedBundle}).
 */
package io.pirt.runtime.bundle;
