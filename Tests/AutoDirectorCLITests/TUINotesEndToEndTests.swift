import AutoDirectorCore
import Foundation
import Testing

/// The review vocabulary in the real binary under tmux (SPEC §17), as an art director uses it:
/// a retake with a note pinned by keyboard, the patch that answers it, the note resolved from
/// the new version, a second reviewer's queue; the command line then finds each of them.
@Suite struct TUINotesEndToEndTests {
    typealias Tmux = TUIEndToEndTests.Tmux

    @Test func aPinnedRetakeAnsweredAndResolvedUnderTmux() async throws {
        try #require(TUIEndToEndTests.tmuxAvailable, "tmux is needed (scripts/install-prerequisites installs it)")
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        let root = cli.root.path
        let binary = CrashRecoveryTests.binary.path
        let script = """
            cd '\(root)' && AUTODIRECTOR_PROJECT='\(cli.project)' USER=ana XDG_CONFIG_HOME='\(root)/config' \
            '\(binary)' run '\(csv)' --preset brand_neutral_cool; echo $? > exit.txt; sleep 600
            """
        let tmux = Tmux()
        try await tmux.run(["new-session", "-d", "-s", "ad", "-x", "80", "-y", "24", "bash", "--norc", "-c", script])
        defer {
            _ = try? tmux.runBlocking(["kill-server"])
            unlink("/tmp/tmux-\(getuid())/\(tmux.socket)")
        }
        _ = try await tmux.wait(for: "Job 1 done")
        // The picture is loaded (monochrome here: its size stands for it) before a pin is placed on it.
        _ = try await tmux.wait(for: "[image 256x256]")
        // t on the shot whose picture is shown: a pin first (two steps right, one down), then the note.
        try await tmux.keys("t")
        _ = try await tmux.wait(for: "Pin at 0.5,0.5")
        try await tmux.keys("l", "l", "j")
        _ = try await tmux.wait(for: "Pin at 0.6,0.55")
        try await tmux.keys("Enter")
        _ = try await tmux.wait(for: "(pin 0.6,0.55) — note:")
        try await tmux.text("move it left")
        try await tmux.keys("Enter")
        _ = try await tmux.wait(forLineWith: ["PROD-001", "retake"])
        // A note of its own on the next shot, without a pin; then back to the first.
        _ = try await tmux.wait(for: "[image 256x256]")
        try await tmux.keys("n", "s")
        try await tmux.text("logo too small")
        try await tmux.keys("Enter")
        _ = try await tmux.wait(for: "Note #1 on PROD-002 v1.")
        try await tmux.keys("k", "p")
        try await tmux.text("camera.fov=50")
        try await tmux.keys("Enter")
        _ = try await tmux.wait(for: "Job 2 done")
        try await tmux.keys("o")
        var screen = try await tmux.wait(for: "Answers the retake notes of v1:")
        #expect(screen.contains("#1 open  move it left"), "\(screen)")
        try await tmux.keys("X")
        screen = try await tmux.wait(for: "Note #1 on PROD-001 v1 resolved.")
        // The queue: assign the shot to bo, then my queue (ana's) leaves it out.
        try await tmux.keys("A")
        _ = try await tmux.wait(for: "Assign PROD-001 to: ana")
        try await tmux.keys("C-u")
        try await tmux.text("bo")
        try await tmux.keys("Enter")
        _ = try await tmux.wait(for: "Assigned PROD-001 to bo")
        // Two approval stages, set from another process: the TUI hears of them, `a` asks which.
        #expect(await cli.run(["config", "stages", "art, brand"]).code == 0)
        _ = try await tmux.wait(for: "STAGES")
        try await tmux.keys("a")
        _ = try await tmux.wait(for: "Approve PROD-001 at stage (art, brand): art")
        try await tmux.keys("Enter")
        _ = try await tmux.wait(forLineWith: ["PROD-001", "pending", "art ✓ brand ·"])
        try await tmux.keys("k", "a")
        _ = try await tmux.wait(for: "Approve PROD-001 at stage (art, brand): brand")
        try await tmux.keys("Enter")
        _ = try await tmux.wait(forLineWith: ["PROD-001", "approved", "art ✓ brand ✓"])
        try await tmux.keys("m")
        _ = try await tmux.wait(for: "my queue")
        try await tmux.keys("q")
        let exitFile = cli.root.appendingPathComponent("exit.txt")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: exitFile.path) && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }

        let v1 = try JSONParser.parse(await cli.run(["notes", "PROD-001", "--version", "1", "--json"]).out)
        let thread = v1["threads"]?.arrayValue?.first
        #expect(thread?["text"] == "move it left" && thread?["state"] == "resolved" && thread?["retake"] == true)
        #expect(thread?["pin"]?["x"] == 0.6 && thread?["pin"]?["y"] == 0.55 && thread?["author"] == "ana")
        #expect(try JSONParser.parse(await cli.run(["notes", "PROD-001", "--json"]).out)["answers"]?.arrayValue?.count == 1)
        #expect(try JSONParser.parse(await cli.run(["notes", "PROD-002", "--json"]).out)["threads"]?.arrayValue?.first?["pin"] == nil)
        let shown = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        #expect(shown["assignee"] == "bo" && shown["review"] == "approved" && shown["approved_stages"] == ["art", "brand"])
    }
}
