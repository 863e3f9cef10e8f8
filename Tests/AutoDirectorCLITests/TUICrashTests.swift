import AutoDirectorCore
import Foundation
import Testing

/// Issue 19 (9): the real TUI in tmux, sent the signals a crash raises. It used to stay alive
/// (its handler chained to the Swift runtime's backtracer, which waited on the terminal and
/// spun reading a closed socket). It must end at once, by the signal, with the terminal's
/// modes and screen as they were before it started. And a terminal whose input ends (reads
/// give end of file) must end the TUI, not spin it.
@Suite struct TUICrashTests {
    @Test(arguments: [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT])
    func aCrashSignalEndsTheTUIAndRestoresTheTerminal(signal: Int32) async throws {
        try #require(TUIEndToEndTests.tmuxAvailable, "tmux is needed (scripts/install-prerequisites installs it)")
        let pane = try await TUIPane.start()
        defer { pane.close() }
        try await pane.tmux.wait(for: "SHOT")
        let pid = try await pane.pid()
        #expect(try await pane.tmux.run(["display", "-p", "-t", "ad", "#{alternate_on}"]).hasPrefix("1"), "curses is on the alternate screen")

        kill(pid, signal)
        let status = try await pane.exitStatus(seconds: 10)
        #expect(status == 128 + signal, "the TUI did not end by signal \(signal) within 10 s (status \(status.map(String.init) ?? "none"))")
        let before = try String(contentsOf: pane.file("stty-before.txt"), encoding: .utf8)
        let after = try String(contentsOf: pane.file("stty-after.txt"), encoding: .utf8)
        #expect(before == after, "the terminal's modes were left changed")
        #expect(after.contains(" icanon ") && after.contains(" echo "))
        #expect(try await pane.tmux.run(["display", "-p", "-t", "ad", "#{alternate_on},#{cursor_flag}"]).hasPrefix("0,1"), "still on the alternate screen, or the cursor hidden")
    }

    /// Runs the TUI with its output on one pseudo-terminal (its controlling terminal) and its
    /// input on another, then closes the input's other end: every read now gives end of file,
    /// and no SIGHUP comes (that terminal is not the TUI's controlling one). Prints a JSON line.
    static let endOfInputHarness = #"""
        import fcntl, json, os, pty, select, signal, struct, sys, termios, time, tty
        binary, project, config = sys.argv[1:4]
        in_master, in_slave = pty.openpty()
        out_master, out_slave = pty.openpty()
        for fd in (in_master, out_master):
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        tty.setraw(in_slave)
        pid = os.fork()
        if pid == 0:
            os.setsid()
            fcntl.ioctl(out_slave, termios.TIOCSCTTY, 0)
            os.dup2(in_slave, 0); os.dup2(out_slave, 1); os.dup2(out_slave, 2)
            for fd in (in_master, out_master, in_slave, out_slave): os.close(fd)
            env = dict(os.environ, TERM="xterm-256color", AUTODIRECTOR_PROJECT=project, XDG_CONFIG_HOME=config, USER="tester")
            os.execve(binary, [binary, "tui"], env)
        os.close(in_slave); os.close(out_slave)
        output = bytearray()
        def pump(seconds):
            ready, _, _ = select.select([out_master], [], [], seconds)
            if ready:
                try: output.extend(os.read(out_master, 65536))
                except OSError: pass
        deadline = time.time() + 30
        while b"SHOT" not in output and time.time() < deadline: pump(0.05)
        drawn = b"SHOT" in output
        os.close(in_master)
        closed = time.time()
        status = None
        while time.time() < closed + 10:
            pump(0.02)
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(raw)
                break
        cpu = None
        if status is None:
            with open("/proc/%d/stat" % pid) as f: fields = f.read().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
        print(json.dumps({"drawn": drawn, "status": status, "seconds": round(time.time() - closed, 2), "cpu_seconds": cpu}))
        """#

    @Test func endOfInputEndsTheTUIInsteadOfSpinning() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(await cli.run(["ingest", try cli.file("p.csv", "sku,product_name\nPROD-001,Mug\n")]).code == 0)
        #expect(await cli.run(["plan", "p"]).code == 0)
        let output = Pipe()
        let python = Process()
        let exit = ProcessExit(python)
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", Self.endOfInputHarness, CrashRecoveryTests.binary.path, cli.project, cli.root.appendingPathComponent("config").path]
        python.standardOutput = output
        try python.run()
        let data = await Blocking.run { output.fileHandleForReading.readDataToEndOfFile() }
        await exit.wait()
        let result = try JSONParser.parse([UInt8](data))
        #expect(result["drawn"] == true, "the TUI never drew: \(result)")
        // 128 + SIGHUP: the input ended as a hang-up does.
        #expect(result["status"] == 129, "the TUI kept running after its input ended (CPU seconds used meanwhile: \(result["cpu_seconds"].map { "\($0)" } ?? "?"))")
    }
}
