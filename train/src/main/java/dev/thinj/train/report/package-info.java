/**
 * What a training run leaves behind for people: the metrics file (JSON lines, one per epoch) and a
 * PNG plot of loss and accuracy per epoch.
 */
package dev.thinj.train.report;
