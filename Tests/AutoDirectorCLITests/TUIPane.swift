import Foundation
import Testing

/// `autodirector tui` on a small planned project, in a tmux pane of its own (80×24 unless told),
/// run by a shell that records the terminal's modes before and after, the TUI's pid and its
/// exit status — so tests can send it signals, hang its terminal up, or give it an editor.
struct TUIPane {
    let cli: CLIHarness
    let tmux = TUIEndToEndTests.Tmux()

    /// Plans `rows` shots (PROD-001…), then starts the TUI with `environment` added. `editor`:
    /// the body of a shell script to run as `$EDITOR` (in the project root, `$1` the file).
    static func start(
        rows: Int = 3, environment: [String: String] = [:], editor: String? = nil, width: Int = 80, height: Int = 24
    ) async throws -> TUIPane {
        let cli = try CLIHarness()
        var environment = environment
        if let editor {
            let path = try cli.file("editor.sh", "#!/bin/sh\ncd '\(cli.root.path)'\n\(editor)\n")
            // Read by a shell rather than executed: a file just written can be "busy" (ETXTBSY,
            // status 126) while another test's child, forked meanwhile, still holds it open.
            environment["EDITOR"] = "/bin/sh \"\(path)\""
            environment["VISUAL"] = "/bin/sh \"\(path)\""
        }
        var csv = "sku,product_name,category,material,finish\n"
        for index in 1...rows { csv += String(format: "PROD-%03d,Product %d,homeware,ceramic,glossy\n", index, index) }
        #expect(await cli.run(["ingest", try cli.file("products.csv", csv)]).code == 0)
        #expect(await cli.run(["plan", "products", "--preset", "brand_neutral_cool"]).code == 0)
        let root = cli.root.path
        let exports = (["AUTODIRECTOR_PROJECT": cli.project, "USER": "tester", "XDG_CONFIG_HOME": "\(root)/config"].merging(environment) { $1 })
            .sorted { $0.key < $1.key }.map { "export \($0.key)='\($0.value)'" }.joined(separator: "; ")
        // The TUI writes its pid, then becomes it (exec), so signals reach the TUI itself. No
        // core files: a crash test would leave one per signal.
        let script = """
            cd '\(root)' && ulimit -c 0 && \(exports) && stty -a > stty-before.txt && \
            bash -c 'echo $$ > tui.pid; exec "$0" tui' '\(CrashRecoveryTests.binary.path)'; \
            status=$?; stty -a > stty-after.txt; echo $status > exit.txt; sleep 600
            """
        let pane = TUIPane(cli: cli)
        try await pane.tmux.run(["new-session", "-d", "-s", "ad", "-x", "\(width)", "-y", "\(height)", "bash", "--norc", "-c", script])
        return pane
    }

    func file(_ name: String) -> URL { cli.root.appendingPathComponent(name) }

    /// The TUI's process id, once the shell has written it.
    func pid(seconds: Double = 30) async throws -> pid_t {
        let text = try await waitForFile("tui.pid", seconds: seconds)
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Waits for `name` to exist and be non-empty; returns its text ("" after `seconds`).
    @discardableResult
    func waitForFile(_ name: String, seconds: Double) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let text = try? String(contentsOf: file(name), encoding: .utf8), !text.isEmpty { return text }
            try await Task.sleep(for: .milliseconds(20))
        }
        return ""
    }

    /// The TUI's exit status as the shell saw it, or nil when it did not end within `seconds`.
    func exitStatus(seconds: Double) async throws -> Int32? {
        Int32(try await waitForFile("exit.txt", seconds: seconds).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Whether process `pid` has ended (gone, or a zombie) within `seconds`.
    static func ended(_ pid: pid_t, seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard kill(pid, 0) == 0 else { return true }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if stat.split(separator: ")").last?.split(separator: " ").first == "Z" { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Ends the pane (and whatever still runs in it; a TUI that would not end is killed) and
    /// removes the project.
    func close() {
        if let text = try? String(contentsOf: file("tui.pid"), encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGKILL)
        }
        _ = try? tmux.runBlocking(["kill-server"])
        unlink("/tmp/tmux-\(getuid())/\(tmux.socket)")
        cli.cleanUp()
    }
}
