package io.tollgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.store.AuditChain.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  private static List<Row> chain(String... entries) {
    List<Row> rows = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (int i = 0; i < entries.length; i++) {
      String hash = AuditChain.hash(prev, entries[i]);
      rows.add(new Row(i + 1, entries[i], prev, hash));
      prev = hash;
    }
    return rows;
  }

  @Test
  void anIntactChainVerifies() {
    List<Row> rows = chain("a", "b", "c");
    assertThat(AuditChain.verify(rows, rows.get(2).hash())).isNull();
    assertThat(AuditChain.verify(List.of(), AuditChain.GENESIS)).isNull();
  }

  @Test
  void anEditedEntryIsCaught() {
    List<Row> rows = chain("a", "b", "c");
    Row b = rows.get(1);
    rows.set(1, new Row(b.seq(), "B", b.prevHash(), b.hash()));
    assertThat(AuditChain.verify(rows, rows.get(2).hash())).contains("entry 2").contains("edited");
  }

  @Test
  void aRehashedEntryBreaksTheNextLink() {
    List<Row> rows = chain("a", "b", "c");
    Row b = rows.get(1);
    rows.set(1, new Row(b.seq(), "B", b.prevHash(), AuditChain.hash(b.prevHash(), "B")));
    assertThat(AuditChain.verify(rows, rows.get(2).hash())).contains("entry 3").contains("not linked");
  }

  @Test
  void removedEntriesAreCaughtInTheMiddleAndAtTheEnd() {
    List<Row> rows = chain("a", "b", "c");
    assertThat(AuditChain.verify(List.of(rows.get(0), rows.get(2)), rows.get(2).hash())).contains("entry 3");
    assertThat(AuditChain.verify(rows.subList(0, 2), rows.get(2).hash())).contains("removed from the end");
  }
}
