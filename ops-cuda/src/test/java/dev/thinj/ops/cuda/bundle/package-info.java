/**
 * Tools of the GPU bundle ({@code gpu-bundle/build.sh}) that run under its own Java runtime and class
 * path: {@link dev.thinj.ops.cuda.bundle.ClassPathCheck}, which finds classes the bundle's code needs
 * but does not ship.
 */
package dev.thinj.ops.cuda.bundle;
