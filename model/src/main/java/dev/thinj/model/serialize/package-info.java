/**
 * Saving and loading model state: {@link dev.thinj.model.serialize.ModelFile}'s versioned,
 * checksummed format, written atomically, and read through
 * {@link dev.thinj.model.serialize.CheckedInput}, which checks every length a file states against the
 * bytes it holds before allocating anything; and Thinc's own format
 * ({@link dev.thinj.model.serialize.ThincModelFile}, msgpack), so that a model moves between Thinc and
 * thinj either way. {@link dev.thinj.model.serialize.ModelFormat} tells the two apart.
 */
package dev.thinj.model.serialize;
