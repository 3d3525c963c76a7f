/**
 * Models as functions: a model maps an input to its output and a backward closure. Layers,
 * combinators, losses, optimizers and schedules arrive with the model issue; this module compiles
 * against {@code ops-api} only.
 */
package dev.thinj.model;
