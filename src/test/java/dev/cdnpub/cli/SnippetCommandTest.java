package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lines to paste: pinned with SRI, or through an alias without it; the entry file chosen. */
class SnippetCommandTest {
  @TempDir Path work;

  private CliRun cli(String... args) {
    return CliRun.run(work, Map.of("CDNPUB_LIBRARY", "chatleo"), args);
  }

  private void publish(String version) {
    CliRun run = cli("publish", "examples", "--version", version);
    assertEquals(0, run.exitCode, run.toString());
  }

  private String sri(String path) throws Exception {
    byte[] bytes = Files.readAllBytes(work.resolve("examples").resolve(path));
    return "sha384-"
        + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-384").digest(bytes));
  }

  @Test
  void pinnedVersion_getsIntegrityOfTheOnlyTopLevelScript_andAnAliasDoesNot() throws Exception {
    TestFiles.write(
        work.resolve("examples"),
        Map.of("loader.js", "console.log(1);", "esm/widget.mjs", "export {};", "a.css", "x"));
    publish("1.2.3");

    CliRun pinned =
        cli(
            "snippet",
            "1.2.3",
            "--element",
            "chatleo-widget",
            "--base-url",
            "https://cdn.example.com/");
    assertEquals(0, pinned.exitCode, pinned.toString());
    assertEquals(
        "<script src=\"https://cdn.example.com/v1.2.3/chatleo/loader.js\" integrity=\""
            + sri("loader.js")
            + "\" crossorigin=\"anonymous\"></script>\n<chatleo-widget></chatleo-widget>\n",
        pinned.out);

    CliRun alias = cli("snippet", "v1", "--base-url", "https://cdn.example.com");
    assertEquals(0, alias.exitCode, alias.toString());
    assertEquals(
        "<script src=\"https://cdn.example.com/v1/chatleo/loader.js\" crossorigin=\"anonymous\"></script>\n",
        alias.out);
    assertTrue(
        alias.err.startsWith("note: no integrity attribute, because v1 moves (now 1.2.3)"),
        alias.err);

    JsonNode json = new ObjectMapper().readTree(cli("snippet", "latest", "--json").out);
    assertEquals(
        "http://127.0.0.1:8787/latest/chatleo/loader.js",
        json.get("url").asText(),
        "local store default");
    assertTrue(json.get("integrity").isNull());
    assertEquals("1.2.3", json.get("version").asText());
  }

  @Test
  void entry_fromFlagConfigOrPackageJson_elseExit2ListingCandidates() throws Exception {
    TestFiles.write(work.resolve("examples"), Map.of("a.js", "1", "b.mjs", "2", "esm/c.mjs", "3"));
    publish("2.0.0");
    CliRun ambiguous = cli("snippet", "2.0.0");
    assertEquals(2, ambiguous.exitCode, ambiguous.toString());
    assertTrue(ambiguous.err.contains("candidates are a.js, b.mjs"), ambiguous.err);

    Files.writeString(
        work.resolve("package.json"), "{\"name\": \"chatleo\", \"module\": \"./dist/esm/c.mjs\"}");
    CliRun fromPackage = cli("snippet", "2.0.0");
    assertEquals(0, fromPackage.exitCode, fromPackage.toString());
    assertTrue(
        fromPackage.out.startsWith(
            "<script type=\"module\" src=\"http://127.0.0.1:8787/v2.0.0/chatleo/esm/c.mjs\""),
        fromPackage.out);

    Files.writeString(work.resolve("cdnpub.json"), "{\"entry\": \"a.js\"}");
    assertTrue(
        cli("snippet", "2.0.0")
            .out
            .contains("/v2.0.0/chatleo/a.js\" integrity=\"" + sri("a.js") + "\""));
    assertTrue(
        cli("snippet", "2.0.0", "--entry", "b.mjs")
            .out
            .contains("type=\"module\" src=\"http://127.0.0.1:8787/v2.0.0/chatleo/b.mjs\""));
    assertEquals(2, cli("snippet", "2.0.0", "--entry", "nope.js").exitCode);
  }

  @Test
  void aliasNote_pinHint_carriesLibraryFlagOnlyWhenTheLibraryCameFromIt() {
    TestFiles.write(work.resolve("examples"), Map.of("loader.js", "1"));
    publish("1.0.1");
    assertEquals(
        "note: no integrity attribute, because v1 moves (now 1.0.1); pin a version (cdnpub snippet 1.0.1) for SRI.\n",
        cli("snippet", "v1").err,
        "library from CDNPUB_LIBRARY: the copied line finds it again");
    CliRun flagged = CliRun.run(work, Map.of(), "snippet", "v1", "--library", "chatleo");
    assertEquals(0, flagged.exitCode, flagged.toString());
    assertEquals(
        "note: no integrity attribute, because v1 moves (now 1.0.1); pin a version (cdnpub snippet 1.0.1 --library chatleo) for SRI.\n",
        flagged.err);
  }

  @Test
  void yankedVersion_getsItsTag_withANoteAndTheYankInJson() throws Exception {
    TestFiles.write(work.resolve("examples"), Map.of("loader.js", "1"));
    publish("1.0.0");
    publish("1.0.1");
    CliRun before = cli("snippet", "1.0.1");
    assertEquals("", before.err, "not yanked: no note");
    assertEquals(
        false,
        new ObjectMapper()
            .readTree(cli("snippet", "1.0.1", "--json").out)
            .get("yanked")
            .asBoolean());
    assertEquals(0, cli("yank", "1.0.1", "--reason", "broken widget").exitCode);

    CliRun pinned = cli("snippet", "1.0.1");
    assertEquals(0, pinned.exitCode, pinned.toString());
    assertEquals(before.out, pinned.out, "the files stay, so the tag is the same");
    assertEquals(
        "note: 1.0.1 is yanked: broken widget; its files stay, but it was withdrawn: pick another version (cdnpub versions).\n",
        pinned.err);
    JsonNode json = new ObjectMapper().readTree(cli("snippet", "1.0.1", "--json").out);
    assertTrue(json.get("yanked").asBoolean(), json.toString());
    assertEquals("broken widget", json.get("yank").get("reason").asText());

    CliRun alias = cli("snippet", "v1");
    assertEquals(0, alias.exitCode, alias.toString());
    assertTrue(alias.err.contains("now 1.0.0"), "the yank moved v1 back: " + alias.err);
    assertTrue(!alias.err.contains("yanked"), alias.err);
    assertTrue(
        new ObjectMapper().readTree(cli("snippet", "v1", "--json").out).get("yank").isNull());

    assertEquals(0, cli("alias", "set", "v1", "1.0.1", "--force").exitCode);
    CliRun forced = cli("snippet", "v1");
    assertEquals(0, forced.exitCode, forced.toString());
    assertTrue(
        forced.err.startsWith(
            "note: v1 points at 1.0.1, which is yanked: broken widget; its files stay,"),
        forced.err);
    assertTrue(
        new ObjectMapper().readTree(cli("snippet", "v1", "--json").out).get("yanked").asBoolean());
  }

  @Test
  void unknownVersionOrAlias_exits4_andBadInput_exits2() {
    TestFiles.write(work.resolve("examples"), Map.of("loader.js", "1"));
    publish("1.0.0");
    assertEquals(4, cli("snippet", "9.9.9").exitCode);
    assertEquals(4, cli("snippet", "next").exitCode);
    assertEquals(2, cli("snippet", "not an alias").exitCode);
    assertEquals(2, cli("snippet", "1.0.0", "--element", "div").exitCode, "not a custom element");
    assertEquals(2, cli("snippet", "1.0.0", "--base-url", "ftp://x").exitCode);
    assertEquals(
        2,
        cli("snippet", "1.0.0", "--target", "r2", "--json").exitCode == 2 ? 2 : 0,
        "R2 without settings");
  }
}
