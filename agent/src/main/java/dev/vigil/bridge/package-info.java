/**
 * The only Vigil classes that inlined advice may reference. The launcher appends the agent jar to the bootstrap
 * class path, so these classes are visible from every class loader, including webapp, OSGi-style and
 * {@code parent=null} loaders.
 *
 * <p>Rules: JDK {@code java.base} types only (the bootstrap loader cannot see {@code java.net.http} or any
 * third-party class); no logging; every hook has do-nothing defaults so that advice never checks for null and an
 * agent that failed to start costs one virtual call.
 */
package dev.vigil.bridge;
