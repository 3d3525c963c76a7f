/**
 * Losses returning the gradient and the loss, with Thinc's definitions and quirks.
 */
package dev.thinj.model.losses;
