package dev.cdnpub.cli;

/**
 * A command whose stdout is its answer (a value, a list, a script), not a report of something done.
 * {@code --quiet} keeps that answer and drops only the chatter on stderr, so that {@code v=$(cdnpub
 * alias get v1 -q)} is the version. Commands that act (publish, alias set, yank, …) are not marked:
 * {@code --quiet} drops their success report too. {@link Cli} reads the mark when it makes each
 * command; it has no methods.
 */
interface AnswerCommand {}
