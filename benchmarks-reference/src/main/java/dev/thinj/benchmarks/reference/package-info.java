/**
 * The plain-Java definitions both benchmark modules check their kernels against (no dependencies, so
 * it fits thinj's class path and ND4J's alike).
 */
package dev.thinj.benchmarks.reference;
