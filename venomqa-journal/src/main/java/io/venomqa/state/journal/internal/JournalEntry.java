package io.venomqa.state.journal.internal;

/**
 * One journaled row change, without its row images (those stay in the database and are read by
 * the undo statements themselves).
 *
 * @param id    position in the journal, increasing with time
 * @param table the tracked table
 * @param op    {@code I}nsert, {@code U}pdate or {@code D}elete ({@code TRUNCATE} is journaled as deletes)
 */
public record JournalEntry(long id, String table, char op) {
}
