import AutoDirectorCore
import Foundation

/// The terminal UI's loop: one thread owns every curses call. Each tick it drains the events
/// the effect interpreter posted, reads a key (waiting at most 50 ms), runs `update`, hands effects
/// to the interpreter (or does the terminal ones itself), and draws the Frame if it changed.
public enum TUIApp {
    public struct Options: Sendable {
        public var title: String
        public var batchID: String?
        public var environment: [String: String]
        public var interpreter: EffectInterpreter.Configuration
        /// Start rendering pending jobs at once (`run FILE` opens the TUI while they render).
        public var renderOnStart: Bool

        public init(title: String, batchID: String?, environment: [String: String], interpreter: EffectInterpreter.Configuration, renderOnStart: Bool) {
            self.title = title
            self.batchID = batchID
            self.environment = environment
            self.interpreter = interpreter
            self.renderOnStart = renderOnStart
        }
    }

    /// Render settings for a render behind the UI: an in-process provider keeps one core
    /// free for the UI loop, so keys are answered at once however busy the render is.
    public static func backgroundRenderSettings(_ settings: RenderSettings) -> RenderSettings {
        var settings = settings
        settings.background = true
        // Small commit groups: a review decision waits for at most one of them (the project has
        // one writer at a time), progress shows sooner, and fewer finished items wait in memory.
        // 512 made `review_ms_p99` 30–39 ms at 100k shots behind a CPU-bound render; 128, 11 ms.
        settings.flushEvery = min(settings.flushEvery, 128)
        return settings
    }

    /// How a session ended.
    public struct Outcome: Sendable {
        /// Keymap problems, to print once the terminal is restored.
        public var problems: [String]
        /// SIGINT, SIGTERM or SIGHUP when one ended it (exit with 128 + it, by convention);
        /// SIGHUP also when the terminal went away without one.
        public var signal: Int32?
    }

    /// Runs until the user quits or a signal arrives; the terminal is restored on every path.
    /// The loop runs on a thread of its own — every curses call on that one thread, and no
    /// thread of the concurrency pool (which the background render uses) blocked waiting for keys.
    public static func run(engine: Engine, options: Options) async throws -> Outcome {
        let outcome = await withCheckedContinuation { (done: CheckedContinuation<Result<(Outcome, EffectInterpreter), any Error>, Never>) in
            Thread.detachNewThread {
                done.resume(returning: Result { try loop(engine: engine, options: options) })
            }
        }
        let (ended, interpreter) = try outcome.get()
        // The render stops at its next checkpoint; its job resumes on the next start.
        await interpreter.stopRendering()
        return ended
    }

    private static func loop(engine: Engine, options: Options) throws -> (Outcome, EffectInterpreter) {
        var (keymap, problems) = (Keymap(), [Keymap.Problem]())
        if let url = Keymap.fileURL(environment: options.environment), let text = try? String(contentsOf: url, encoding: .utf8) {
            (keymap, problems) = Keymap.load(text)
        }
        var settings = TUISettings()
        var settingProblems: [String] = []
        if let url = TUISettings.fileURL(environment: options.environment), let text = try? String(contentsOf: url, encoding: .utf8) {
            (settings, settingProblems) = TUISettings.load(text)
        }
        let terminalGuard = TerminalGuard()
        defer { terminalGuard.uninstall() }
        // Before curses owns the input: what the terminal answers decides the image mode.
        let passthrough = TerminalProbe.tmuxPassthrough(environment: options.environment)
        let answers = TerminalProbe.ask(insideTmux: passthrough != nil, term: options.environment["TERM"])
        let screen = try CursesScreen.open(environment: options.environment)
        defer { screen.close() }
        terminalGuard.screenOpened()
        let capabilities = TerminalCapabilities.decide(
            environment: options.environment, answers: answers, tmuxPassthrough: passthrough, utf8: screen.isUTF8,
            terminfoColors: screen.colorCount, ioctlCellPixels: TerminalProbe.ioctlCellPixels())

        let inbox = EventInbox()
        let interpreter = EffectInterpreter(engine: engine, configuration: options.interpreter, post: inbox.post)
        let size = screen.size
        var state = AppState(
            width: size.width, height: size.height, title: TerminalText.clean(options.title), batchID: options.batchID,
            ascii: !screen.isUTF8, colors: screen.colorCount >= 256 && !NoColor.requested(by: options.environment), keymap: keymap)
        state.advanceAfterReview = settings.advanceAfterReview
        state.reviewer = options.interpreter.reviewer
        state.query.reviewer = options.interpreter.reviewer
        state.views = settings.views
        state.imageMode = capabilities.mode
        state.cellPixels = capabilities.cellPixels
        state.truecolor = capabilities.colors == .truecolor
        if capabilities.tmuxPassthrough == .off {
            // One line that fits 80 columns; `doctor` has the whole story.
            state.message = "tmux hides images: `set -g allow-passthrough on` in ~/.tmux.conf (see doctor)"
        }
        let allProblems = problems.map(\.description) + settingProblems
        if let problem = allProblems.first {
            state.message = "\(problem)\(allProblems.count > 1 ? " (and \(allProblems.count - 1) more)" : "")"
            state.messageIsError = true
        }
        let graphicsCache = GraphicsCache()
        let presenter = GraphicsPresenter(
            cache: graphicsCache, insideTmux: capabilities.insideTmux,
            output: .init(write: { screen.writeRaw($0) }, repaintRows: { screen.repaintRows($0, $1) }),
            request: { placements in
                interpreter.encodeGraphics(placements, cell: capabilities.cellPixels, insideTmux: capabilities.insideTmux, into: graphicsCache)
            })
        defer { presenter.clear() }
        var effects = Update.reload(&state) + [.loadJob, .loadStages, .recordVisit]
        interpreter.watchChanges()
        defer { interpreter.stopWatching() }
        if options.renderOnStart { interpreter.startRendering() }
        // A frame is drawn only after something changed the state; the screen itself writes only
        // the cells that differ from what it shows (and everything after a resize or resume).
        var needsDraw = true
        // Answers to the start-up probe that come too late must not act as keys.
        var lateAnswers = LateAnswerFilter(startedAt: .now)
        // The terminal hung up (its input ended, or it went while the editor had it).
        var terminalGone = false
        while true {
            for effect in effects {
                switch effect {
                case .quit:
                    break
                case .copy(let text):
                    screen.setClipboard(text)
                case .editJSON(let shotID, let json):
                    presenter.clear()
                    switch edit(json, shotID: shotID, screen: screen, environment: options.environment, stopRequested: { terminalGuard.pendingSignal }) {
                    case .finished(let event):
                        if let event { inbox.post(event) }
                    case .terminalGone:
                        terminalGone = true
                    }
                    // The terminal's late answers to the editor's queries are not keys either.
                    lateAnswers = LateAnswerFilter(startedAt: .now)
                    needsDraw = true
                default:
                    interpreter.run(effect)
                }
            }
            effects = []
            if state.quitting || terminalGuard.pendingSignal != nil || terminalGone { break }
            if needsDraw {
                let frame = Screen.render(state)
                let repainted = screen.draw(frame)
                presenter.present(frame.graphics, repainted: repainted)
                needsDraw = false
            }
            let key = screen.readKey()
            if screen.inputEnded {
                // A hung-up terminal reads as end of file at once, every time: waiting for keys
                // would spin. End as a hang-up does.
                terminalGone = true
                continue
            }
            for key in lateAnswers.keys(after: key, at: .now) {
                if key == .resize {
                    let size = screen.size
                    effects += Update.update(&state, .resize(width: size.width, height: size.height))
                } else {
                    effects += Update.update(&state, .key(key))
                }
                needsDraw = true
            }
            for event in inbox.drain() {
                effects += Update.update(&state, event)
                needsDraw = true
            }
        }
        return (Outcome(problems: allProblems, signal: terminalGuard.pendingSignal ?? (terminalGone ? SIGHUP : nil)), interpreter)
    }

    /// What the editor left for the loop.
    enum EditResult {
        /// The event to post (the edited JSON, or why nothing changed), if any.
        case finished(AppEvent?)
        /// The terminal hung up while the editor ran (the editor was ended): the TUI ends too.
        case terminalGone
    }

    /// Suspends curses, runs `$VISUAL`, `$EDITOR` or `vi` on the spec in a temporary file as the
    /// terminal's foreground job (`ForegroundJob`), resumes, and returns the edited JSON when it
    /// changed. `stopRequested` is the guard's pending signal: one arriving while the editor is
    /// open ends the editor, and the loop then ends on it.
    static func edit(
        _ json: String, shotID: String, screen: CursesScreen, environment: [String: String], stopRequested: () -> Int32?
    ) -> EditResult {
        // An unguessable name, created only if nothing is there: in a shared temporary directory
        // another user could otherwise plant a link where the spec is written.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("autodirector-edit-\(UUID().uuidString).json")
        do { try Data(json.utf8).write(to: file, options: .withoutOverwriting) } catch {
            return .finished(.failed("Cannot write the JSON to edit: \(FileErrorText.reason(error))"))
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let editor = environment["VISUAL"] ?? environment["EDITOR"] ?? "vi"
        screen.suspend()
        // The editor command may carry arguments ("code -w"); the file is passed as $1.
        let outcome = ForegroundJob.run(
            ["/bin/sh", "-c", "\(editor) \"$1\"", "autodirector-editor", file.path], terminal: STDIN_FILENO, stopRequested: stopRequested)
        switch outcome {
        case .terminalGone:
            // Nothing to resume: curses already gave the terminal its modes back at suspend.
            return .terminalGone
        case .interrupted:
            screen.resume()
            return .finished(nil)
        case .failedToStart(let code):
            screen.resume()
            return .finished(.failed("Cannot start the editor \(TerminalText.clean(editor)): \(String(cString: strerror(code)))"))
        case .killed(let signal):
            screen.resume()
            return .finished(.failed("The editor was ended by signal \(signal); nothing changed."))
        case .exited(let status):
            screen.resume()
            guard status == 0 else { return .finished(.failed("The editor exited with status \(status); nothing changed.")) }
        }
        guard let edited = try? String(contentsOf: file, encoding: .utf8) else { return .finished(.failed("Cannot read the edited JSON back.")) }
        if edited.trimmingCharacters(in: .whitespacesAndNewlines) == json.trimmingCharacters(in: .whitespacesAndNewlines) {
            return .finished(.failed("The JSON is unchanged; nothing to do."))
        }
        return .finished(.edited(shotID: shotID, json: edited))
    }
}
