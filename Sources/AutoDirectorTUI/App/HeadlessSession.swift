import AutoDirectorCore
import Foundation
import Synchronization

/// The TUI without a terminal: the same state, update, effect interpreter and views, driven by keys given
/// in code. Tests script it and wait for idle (never sleep); `bench tui` times its frames.
/// Driven from one thread at a time; its state sits behind a lock so that handing it to
/// another thread (`settled` waits on one of `Blocking`'s) is safe.
public final class HeadlessSession: Sendable {
    /// What the keys change, and what the terminal would have been asked to do.
    private struct Core {
        var state: AppState
        /// Effects the terminal would handle (copy, edit, quit), in order.
        var terminalEffects: [Effect] = []
        /// With an image mode: what the terminal's images are written through.
        var presenter: GraphicsPresenter?
    }

    private let core: Mutex<Core>
    public let inbox = EventInbox()
    /// The effect interpreter that runs this session's engine work.
    public let bridge: EffectInterpreter
    private let graphicsWritten = Atomic<Int>(0)

    public var state: AppState { core.withLock { $0.state } }
    public var terminalEffects: [Effect] { core.withLock { $0.terminalEffects } }
    /// The bytes of images written so far (with an image mode).
    public var graphicsBytes: Int { graphicsWritten.load(ordering: .relaxed) }

    /// `watchInterval`: poll the project for other writers that often, as the terminal UI
    /// does (nil: not at all).
    public init(
        engine: Engine, width: Int, height: Int, batchID: String? = nil, configuration: EffectInterpreter.Configuration, watchInterval: Duration? = nil
    ) {
        var state = AppState(width: width, height: height, title: "test", batchID: batchID)
        state.reviewer = configuration.reviewer
        state.query.reviewer = configuration.reviewer
        let effects = Update.reload(&state) + [.loadStages]
        core = Mutex(Core(state: state))
        bridge = EffectInterpreter(engine: engine, configuration: configuration, post: inbox.post)
        if let watchInterval { bridge.watchChanges(every: watchInterval) }
        run(effects)
    }

    deinit { bridge.stopWatching() }

    public var frame: Frame { Screen.render(state) }

    /// Changes a setting of the state (tests: `renderRefreshInterval`).
    func configure(_ body: (inout AppState) -> Void) {
        core.withLock { body(&$0.state) }
    }

    /// Shows images as the terminal UI does in a graphics mode: encoded off this thread,
    /// written (here: counted) after each `draw`.
    public func showImages(_ mode: ImageMode, cell: CellPixels = .assumed) {
        let bridge = self.bridge
        core.withLock { core in
            core.state.imageMode = mode
            core.state.cellPixels = cell
            let cache = GraphicsCache()
            core.presenter = GraphicsPresenter(
                cache: cache, insideTmux: false,
                output: .init(write: { [weak self] in self?.graphicsWritten.add($0.count, ordering: .relaxed) }, repaintRows: { _, _ in }),
                request: { placements in bridge.encodeGraphics(placements, cell: cell, insideTmux: false, into: cache) })
        }
    }

    /// The frame, with its images presented as the UI loop presents them.
    @discardableResult
    public func draw() -> Frame {
        // Presented under the lock: the presenter is this session's alone, and its callbacks
        // (counting bytes, asking the interpreter for encodings) never touch the session's state.
        core.withLock { core in
            let frame = Screen.render(core.state)
            core.presenter?.present(frame.graphics, repainted: false)
            return frame
        }
    }

    /// Applies keys as a person would type them, one by one.
    public func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    /// Types text into a prompt, character by character.
    public func type(_ text: String) {
        for character in text { press(.character(character)) }
    }

    public func send(_ event: AppEvent) {
        run(core.withLock { Update.update(&$0.state, event) })
    }

    /// Handles what the interpreter posts until nothing is in flight (renders included, unless
    /// `renders` is false) or `timeout` passes; returns whether it got idle. The timeout is a
    /// fail-safe, not a target: in a full parallel test run on two cores the background render
    /// can wait seconds for a thread of the cooperative pool.
    @discardableResult
    public func settle(timeout: Duration = .seconds(60), renders: Bool = true) -> Bool {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        while Date() < deadline {
            let events = inbox.drain()
            for event in events { send(event) }
            if events.isEmpty && bridge.isIdle && (!renders || !bridge.isRendering) {
                // Whatever was answered last may have been posted after the drain.
                if inbox.wait(until: Date().addingTimeInterval(0.005)) { continue }
                return true
            }
            _ = inbox.wait(until: min(deadline, Date().addingTimeInterval(0.05)))
        }
        return false
    }

    /// `settle` on a blocking-work thread, so an async caller does not block a thread of the
    /// concurrency pool that the background render needs.
    public func settled(timeout: Duration = .seconds(60), renders: Bool = true) async -> Bool {
        await Blocking.run { self.settle(timeout: timeout, renders: renders) }
    }

    private func run(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .copy, .editJSON, .quit: core.withLock { $0.terminalEffects.append(effect) }
            default: bridge.run(effect)
            }
        }
    }
}
