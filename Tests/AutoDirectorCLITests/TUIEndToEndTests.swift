import AutoDirectorCore
import Foundation
import Testing

/// The real binary in a real terminal (tmux), driven as a person would: navigate, approve,
/// reject with a note, patch, wait for the render, open the diff, export, quit. Then the
/// command line confirms the database, and the terminal is as sane as before.
@Suite struct TUIEndToEndTests {
    /// Runs tmux on a socket of this test's own, so no user session is touched.
    struct Tmux: Sendable {
        let socket = "adtest-\(UUID().uuidString.prefix(8))"

        /// Runs a tmux command and returns what it printed. Not through Foundation's
        /// `Process`: it learns that a child ended when a descriptor the child holds closes,
        /// and the server `new-session` starts inherits that descriptor and keeps it open. So
        /// posix_spawn and waitpid, with the output going to a file.
        @discardableResult
        func run(_ arguments: [String]) async throws -> String {
            let tmux = self
            return try await Blocking.run { try tmux.runBlocking(arguments) }
        }

        /// `run` on this thread, for the test's teardown (a `defer` cannot await).
        @discardableResult
        func runBlocking(_ arguments: [String]) throws -> String {
            let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
            defer { unlink(outputPath) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
            var cArguments = argv.map { strdup($0) } + [nil]
            defer { for pointer in cArguments { free(pointer) } }
            // The server and the panes inherit the signal mask and ignored signals of this
            // (test pool) thread, which blocks some: a tmux with SIGTERM blocked survives
            // kill-server, and a pane with SIGHUP blocked never hangs up. Start them clean.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t()
            var all = sigset_t()
            sigemptyset(&none)
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            var pid: pid_t = 0
            let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, &cArguments, environ)
            guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        }

        func keys(_ keys: String...) async throws { try await run(["send-keys", "-t", "ad"] + keys) }
        func text(_ text: String) async throws { try await run(["send-keys", "-t", "ad", "-l", text]) }
        func screen() async throws -> String { try await run(["capture-pane", "-t", "ad", "-p"]) }

        /// Waits until the screen shows `text` (or `deadline` passes), looking every 20 ms (tmux
        /// has no way to say when a pane changes); returns the screen.
        @discardableResult
        func wait(for text: String, seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var screen = ""
            while Date() < deadline {
                screen = try await self.screen()
                if screen.contains(text) { return screen }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("the screen never showed \(text.debugDescription):\n\(screen)", sourceLocation: sourceLocation)
            return screen
        }

        /// Waits until one line of the screen holds every one of `parts`.
        @discardableResult
        func wait(forLineWith parts: [String], seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var screen = ""
            while Date() < deadline {
                screen = try await self.screen()
                if screen.split(separator: "\n").contains(where: { line in parts.allSatisfy { line.contains($0) } }) { return screen }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("no line of the screen showed \(parts):\n\(screen)", sourceLocation: sourceLocation)
            return screen
        }
    }

    static var tmuxAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    @Test func reviewerSessionUnderTmux() async throws {
        try #require(Self.tmuxAvailable, "tmux is needed (scripts/install-prerequisites installs it)")
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", """
            sku,product_name,category,material,finish
            PROD-001,Wireless Headphones,electronics,plastic,glossy
            PROD-002,Macro Camera Lens,photography,glass,matte
            PROD-003,Ceramic Coffee Mug,homeware,ceramic,glossy
            PROD-004,Mug\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}[2J,homeware,ceramic,glossy

            """)
        let root = cli.root.path
        let binary = CrashRecoveryTests.binary.path
        let script = """
            cd '\(root)' && stty -a > stty-before.txt && \
            AUTODIRECTOR_PROJECT='\(cli.project)' USER=tester XDG_CONFIG_HOME='\(root)/config' '\(binary)' run '\(csv)' --preset brand_neutral_cool; \
            status=$?; stty -a > stty-after.txt; echo $status > exit.txt; sleep 600
            """
        let tmux = Tmux()
        try await tmux.run(["new-session", "-d", "-s", "ad", "-x", "80", "-y", "24", "bash", "--norc", "-c", script])
        defer {
            _ = try? tmux.runBlocking(["kill-server"])
            unlink("/tmp/tmux-\(getuid())/\(tmux.socket)")
        }

        var screen = try await tmux.wait(for: "Job 1 done")
        // The hostile cell shows as placeholders; the screen was not cleared by it.
        #expect(screen.contains("Mug␛]52;c;ZXZpbA==␇␛[2J"), "\(screen)")
        #expect(screen.contains("AutoDirector"))

        // a approves and moves on to the next pending shot, where r rejects it.
        try await tmux.keys("a")
        try await tmux.wait(forLineWith: ["PROD-001", "approved"])
        try await tmux.keys("r")
        try await tmux.text("too dark")
        try await tmux.keys("Enter")
        try await tmux.wait(forLineWith: ["PROD-002", "rejected"])
        // A typed patch applies on Enter: its diff preview is on screen already.
        try await tmux.keys("p")
        try await tmux.text("camera.fov=60")
        try await tmux.wait(for: "camera.fov 45 → 60")
        try await tmux.keys("Enter")
        try await tmux.wait(for: "Job 2 done")
        // Another process approves a shot: the table shows it with no key pressed.
        #expect(await cli.run(["approve", "PROD-004"]).code == 0)
        try await tmux.wait(forLineWith: ["PROD-004", "approved"], seconds: 5)
        try await tmux.keys("d")
        screen = try await tmux.wait(for: "v1 → v2")
        #expect(screen.contains("~ camera.fov 45 → 60"))
        // C compares the two versions side by side; f flips them, D marks what changed, Esc returns.
        try await tmux.keys("C")
        screen = try await tmux.wait(for: "Changes v1 → v2 (1)")
        #expect(screen.contains("~ camera.fov 45 → 60") && screen.contains("[image 256x256]"), "monochrome here: \(screen)")
        try await tmux.keys("f")
        try await tmux.wait(for: "v2's image (f)")
        try await tmux.keys("D")
        try await tmux.wait(for: "% of pixels")
        try await tmux.keys("Escape")
        try await tmux.wait(for: "SHOT")
        try await tmux.keys("E")
        try await tmux.wait(for: "Export batch products? [y/N]")
        try await tmux.keys("y")
        try await tmux.wait(for: "Exported to")
        try await tmux.keys("q")

        // exit.txt is written last, after stty-after.txt.
        let exitFile = cli.root.appendingPathComponent("exit.txt")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: exitFile.path) && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try String(contentsOf: exitFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let before = try String(contentsOf: cli.root.appendingPathComponent("stty-before.txt"), encoding: .utf8)
        let after = try String(contentsOf: cli.root.appendingPathComponent("stty-after.txt"), encoding: .utf8)
        #expect(before == after, "the terminal was left changed")

        // The command line sees what was done in the TUI.
        let shots = try JSONParser.parse(await cli.run(["shots", "--json"]).out)
        let byID = Dictionary(uniqueKeysWithValues: (shots.arrayValue ?? []).compactMap { row in row["shot_id"]?.stringValue.map { ($0, row) } })
        #expect(byID["PROD-001"]?["review"] == "approved")
        #expect(byID["PROD-002"]?["review"] == "rejected")
        #expect(byID["PROD-004"]?["review"] == "approved")
        let patched = try JSONParser.parse(await cli.run(["show", "PROD-003", "--json"]).out)
        #expect(patched["version"] == 2)
        #expect(patched["spec"]?["camera"]?["fov"] == 60)
        #expect(patched["render_status"] == "rendered")
        let versions = try JSONParser.parse(await cli.run(["versions", "PROD-002", "--json"]).out)
        #expect(versions.arrayValue?.first?["review_note"] == "too dark")
        #expect(FileManager.default.fileExists(atPath: cli.root.appendingPathComponent("exports/products.zip").path))
    }
}
