import AutoDirectorCore
import Foundation
import Testing

/// Issue 19 (4): `e` ran `$EDITOR` outside the terminal's foreground process group. An editor
/// that reads the terminal was stopped (SIGTTIN) and froze the TUI; the terminal's answers to
/// the editor's queries reached the TUI as keys; and when the terminal hung up, the editor got
/// no SIGHUP and the TUI stayed alive. These run the real TUI in tmux with an editor script
/// that does what an interactive editor does.
@Suite struct TUIEditorTests {
    /// Records whether the editor's process group owns the terminal.
    static let recordForeground = #"python3 -c 'import os; print(os.tcgetpgrp(0) == os.getpgrp())' > editor-foreground.txt"#

    @Test func theEditorOwnsTheTerminalAndItsAnswersAreNotKeys() async throws {
        try #require(TUIEndToEndTests.tmuxAvailable, "tmux is needed (scripts/install-prerequisites installs it)")
        // Reads a line from the terminal (stopped there when not in the foreground), asks the
        // terminal where its cursor is without reading the answer (tmux answers `ESC [ r ; c R`),
        // then changes the spec and exits.
        let body = """
            echo EDITOR-READY
            read line
            echo "$line" > editor-read.txt
            \(Self.recordForeground)
            printf '\\033[6n'
            sleep 0.3
            python3 -c 'import json, sys; p = sys.argv[1]; d = json.load(open(p)); d["camera"]["fov"] = 50; json.dump(d, open(p, "w"), indent=2)' "$1"
            """
        let pane = try await TUIPane.start(editor: body)
        defer { pane.close() }

        try await pane.tmux.wait(for: "No image yet")
        try await pane.tmux.keys("e")
        try await pane.tmux.wait(for: "EDITOR-READY")
        try await pane.tmux.text("typed into the editor")
        try await pane.tmux.keys("Enter")
        #expect(try await pane.waitForFile("editor-read.txt", seconds: 20).hasPrefix("typed into the editor"), "the editor could not read the terminal")
        #expect(try await pane.waitForFile("editor-foreground.txt", seconds: 20).hasPrefix("True"), "the editor was not the terminal's foreground job")

        // The cursor position answer must not act as keys (`R` would ask to re-render, and
        // answer this question with no).
        var screen = try await pane.tmux.wait(for: "Save the edited JSON as a new version of PROD-001")
        #expect(!screen.contains("Re-render"), "\(screen)")
        try await pane.tmux.keys("y")
        screen = try await pane.tmux.wait(forLineWith: ["PROD-001", "v2"])
        #expect(!screen.contains("Re-render"), "\(screen)")
        let shown = try JSONParser.parse(await pane.cli.run(["show", "PROD-001", "--json"]).out)
        #expect(shown["version"] == 2)
        #expect(shown["spec"]?["camera"]?["fov"] == 50)

        try await pane.tmux.keys("q")
        #expect(try await pane.exitStatus(seconds: 20) == 0)
        let before = try String(contentsOf: pane.file("stty-before.txt"), encoding: .utf8)
        let after = try String(contentsOf: pane.file("stty-after.txt"), encoding: .utf8)
        #expect(before == after, "the terminal was left changed")
    }

    @Test func aTerminalThatHangsUpEndsTheEditorAndTheTUI() async throws {
        try #require(TUIEndToEndTests.tmuxAvailable, "tmux is needed (scripts/install-prerequisites installs it)")
        // Waits reading the terminal, as an open editor does; says how it ended.
        let body = """
            trap 'echo hangup > editor-end.txt; exit 129' HUP
            trap 'echo terminated > editor-end.txt; exit 143' TERM
            echo $$ > editor.pid
            echo EDITOR-READY
            read line || echo "end of file" > editor-end.txt
            """
        let pane = try await TUIPane.start(editor: body)
        defer { pane.close() }

        try await pane.tmux.wait(for: "No image yet")
        let tui = try await pane.pid()
        try await pane.tmux.keys("e")
        try await pane.tmux.wait(for: "EDITOR-READY")
        // Generous deadlines: in a full parallel run on two cores, a wait's turn can be seconds late.
        let editor = try #require(pid_t(try await pane.waitForFile("editor.pid", seconds: 30).trimmingCharacters(in: .whitespacesAndNewlines)))

        // The terminal goes away: tmux closes the pane's pseudo-terminal.
        try await pane.tmux.run(["kill-server"])
        #expect(try await TUIPane.ended(editor, seconds: 30), "the editor is still running")
        // SIGHUP, or the end of its input when the closed terminal's EOF reaches its `read` first
        // (under a loaded machine either can come first): never left waiting, never killed.
        let ending = try await pane.waitForFile("editor-end.txt", seconds: 30)
        #expect(ending.hasPrefix("hangup") || ending.hasPrefix("end of file"), "the editor ended otherwise: \(ending)")
        #expect(try await TUIPane.ended(tui, seconds: 30), "the TUI is still running")
    }
}
