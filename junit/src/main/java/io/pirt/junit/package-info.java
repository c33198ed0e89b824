/**
 * Host-driven tests: a JUnit 5 extension ({@link io.pirt.junit.BoardExtension}) that
 * gives a test a connected board ({@link io.pirt.junit.ConnectedBoard}) — the real one
 * named by {@code pirt.port}/{@code PIRT_PORT}, or a virtual board — to flash, type into,
 * expect console output from, and read and set pins on. docs/tool.md, "Host-driven tests".
 */
package io.pirt.junit;
