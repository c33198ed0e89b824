/**
 * The Maven plugin of pirt ({@code pirt-maven-plugin}, goal prefix {@code pirt}): the goals
 * {@code bundle}, {@code flash}, {@code test} and {@code console} turn the project's model
 * and {@code pirt.*} properties into a {@code pirt} command line and run the tool itself, so
 * the plugin and the tool never diverge.
 *
 * <p>The mojos are Java 17 bytecode because Maven may run on Java 17; the tool is Java 21, so
 * it runs in a JVM of its own ({@link io.pirt.maven.ForkedTool}) on a JDK 21 or newer
 * ({@link io.pirt.maven.ToolJvm}). docs/tool.md, "Maven plugin", is the user's page.
 */
package io.pirt.maven;
