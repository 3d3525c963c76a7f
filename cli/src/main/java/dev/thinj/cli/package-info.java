/**
 * The {@code thinj} command line ({@link dev.thinj.cli.Main}): one picocli command class per
 * subcommand. Today: {@code backends}. Training, evaluation and prediction arrive with the main-job
 * issue.
 */
package dev.thinj.cli;
