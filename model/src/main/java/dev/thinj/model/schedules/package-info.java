/**
 * Schedules: hyperparameters as functions of the training step ({@link dev.thinj.model.schedules.Schedule}),
 * with Thinc's built-ins and values.
 */
package dev.thinj.model.schedules;
