/**
 * Saving and loading model state: {@link dev.thinj.model.serialize.ModelFile}'s versioned,
 * checksummed format, written atomically, and read through
 * {@link dev.thinj.model.serialize.CheckedInput}, which checks every length a file states against the
 * bytes it holds before allocating anything.
 */
package dev.thinj.model.serialize;
