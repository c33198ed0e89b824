/**
 * The HAL's own plumbing, shared by its packages and not for applications: the C library
 * binding ({@link io.pirt.hal.internal.LibC}).
 */
package io.pirt.hal.internal;
