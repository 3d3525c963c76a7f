/**
 * The {@code thinj} command line ({@link dev.thinj.cli.Main}): one picocli command class per
 * subcommand ({@code train}, {@code evaluate}, {@code predict}, {@code convert},
 * {@code backends}); {@code
 * InputFiles} checks the files they are given and {@code Failures} turns
 * every failure into one line and an exit code.
 */
package dev.thinj.cli;
