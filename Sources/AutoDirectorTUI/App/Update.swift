import AutoDirectorCore

/// The pure heart of the TUI: an event changes the state and asks for effects. No I/O, no
/// clock: everything it needs arrives in the event.
public enum Update {
    /// Rows loaded beyond the visible ones on each side, so scrolling rarely waits.
    static let margin = 64

    public static func update(_ state: inout AppState, _ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key):
            return handle(key, &state)
        case .resize(let width, let height):
            state.width = width
            state.height = height
            state.failedGraphics.removeAll()
            return follow(&state)
        case .pageLoaded(var page, let query, let writesSeen):
            guard query.filter == state.query.filter, query.sort == state.query.sort, query.batchID == state.query.batchID else { return [] }
            if state.loading == query { state.loading = nil }
            let before = state.current?.shot.id
            state.unconfirmedDecisions.removeAll { $0.generation <= writesSeen }
            for decision in state.unconfirmedDecisions { apply(decision, to: &page) }
            state.page = page
            // A refresh may move rows (a decided shot leaves a filter): the cursor stays on its shot.
            if let before, let index = page.rows.firstIndex(where: { $0.shot.id == before }) {
                state.cursor = page.offset + index
            }
            state.cursor = min(state.cursor, max(0, page.total - 1))
            var effects = follow(&state)
            if let now = state.current?.shot.id, now != before || state.detail?.version.shotID != now {
                effects.append(.loadDetail(shotID: now))
            }
            if page.total == 0 { state.detail = nil }
            return effects
        case .detailLoaded(var detail, let writesSeen):
            guard detail.version.shotID == state.current?.shot.id else { return [] }
            for decision in state.unconfirmedDecisions where decision.generation > writesSeen {
                apply(decision, to: &detail)
            }
            if state.detail?.version.shotID != detail.version.shotID { state.detailScroll = 0 }
            state.detail = detail
            return []
        case .render(let event):
            return render(event, &state)
        case .done(let text):
            state.message = text
            state.messageIsError = false
            return reload(&state)
        case .failed(let text):
            state.message = text
            state.messageIsError = true
            return []
        case .storeChanged:
            // A render of this process shows through its events; the job line needs no query.
            return reload(&state) + (state.renderingHere ? [] : [.loadJob])
        case .reviewed(let decision):
            return reviewed(decision, &state)
        case .matching(let ids, let query):
            guard query == state.query else { return [] }
            state.selection = Set(ids)
            state.message = ids.isEmpty ? "No shot matches." : "Selected \(ids.count) shot\(ids.count == 1 ? "" : "s")\(state.query.filter.isEmpty ? "" : " matching “\(state.query.filter)”"); * again clears."
            state.messageIsError = false
            return []
        case .compareLoaded(let data):
            guard var compare = state.compare, compare.shotID == data.shotID else { return [] }
            compare.data = data
            compare.left = data.left.version.number
            compare.right = data.right.version.number
            state.compare = compare
            return []
        case .compareFailed(let shotID, let text):
            if state.compare?.shotID == shotID, state.compare?.data == nil { state.compare = nil }
            state.message = text
            state.messageIsError = true
            return []
        case .graphicsReady:
            // The loop draws again after every event; the frame already says where it goes.
            return []
        case .graphicsFailed(let key, let text):
            // Bounded: kitty's keys name the place, so each resize could add one.
            if state.failedGraphics.count >= AppState.failedGraphicsLimit { state.failedGraphics.removeAll() }
            state.failedGraphics.insert(key)
            let mode = key.prefix { $0 != ":" }
            state.message = "Cannot show the image as \(mode) (\(text)); it is drawn in colour blocks instead."
            state.messageIsError = true
            return []
        case .renderStopped:
            // Also after a render that failed before it could say `.finished`.
            state.renderingHere = false
            return [.loadJob]
        case .jobLoaded(let job):
            // A render of this process reports itself through render events, which are fresher.
            if state.renderingHere { return [] }
            if let job { state.job = job }
            return []
        case .edited(let shotID, let json):
            guard let detail = state.detail, detail.version.shotID == shotID else { return [] }
            do {
                let edited = try JSONParser.parse(json)
                let changes = JSONDiff.changes(from: .object(detail.version.spec), to: edited)
                state.patchPreview = changes.isEmpty ? ["(no change)"] : changes.map(Patcher.describe)
                state.confirmation = .edited(shotID: shotID, json: json)
            } catch {
                state.message = "The edited JSON is not valid: \(error)"
                state.messageIsError = true
            }
            return []
        }
    }

    // MARK: Keys

    private static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .resize { return [] }
        if key == .control("c") {
            state.quitting = true
            return [.quit]
        }
        if let confirmation = state.confirmation {
            state.confirmation = nil
            state.patchPreview = []
            guard key == .character("y") || key == .character("Y") else {
                state.message = "Cancelled."
                state.messageIsError = false
                return []
            }
            return confirmed(confirmation, &state)
        }
        if state.prompt != nil { return edit(key, &state) }
        if state.showHelp {
            state.showHelp = false
            return []
        }
        if state.compare != nil { return compareKey(key, &state) }
        if key == .escape {
            state.selection.removeAll()
            state.message = nil
            return []
        }
        guard let action = state.keymap.action(for: key) else {
            state.message = "\(key.name) does nothing here; ? lists the keys."
            state.messageIsError = false
            return []
        }
        state.message = nil
        return perform(action, &state)
    }

    private static func perform(_ action: Action, _ state: inout AppState) -> [Effect] {
        let layout = Layout(width: state.width, height: state.height)
        let detailFocused = state.focus == .detail
        switch action {
        case .down, .up, .pageDown, .pageUp, .top, .bottom:
            if detailFocused {
                // Scrolled in wrapped lines, as the panel shows them; only as many are wrapped
                // as the new position needs (all of them for the end).
                let step = action == .down || action == .up ? 1 : layout.detailRows
                var scroll = state.detailScroll
                switch action {
                case .down, .pageDown: scroll += step
                case .up, .pageUp: scroll -= step
                case .top: scroll = 0
                default: scroll = .max - layout.detailRows
                }
                let rows = state.detail.map {
                    DetailView.rowCount($0, state.tab, width: layout.detail.width - 1, ascii: state.ascii, upTo: scroll + layout.detailRows)
                } ?? 0
                state.detailScroll = max(0, min(scroll, rows - layout.detailRows))
                return []
            }
            let page = layout.tableRows
            switch action {
            case .down: return move(to: state.cursor + 1, &state)
            case .up: return move(to: state.cursor - 1, &state)
            case .pageDown: return move(to: state.cursor + page, &state)
            case .pageUp: return move(to: state.cursor - page, &state)
            case .top: return move(to: 0, &state)
            default: return move(to: state.total - 1, &state)
            }
        case .filter:
            state.prompt = .filter(state.query.filter)
            state.promptCursor = state.query.filter.count
            return []
        case .sort:
            let all = ShotQuery.Sort.allCases
            let next = all[((all.firstIndex(of: state.query.sort) ?? 0) + 1) % all.count]
            state.query.sort = next
            state.message = "Sorted by \(next.rawValue)."
            return restart(&state)
        case .focus:
            state.focus = detailFocused ? .table : .detail
            return []
        case .detail:
            state.focus = .detail
            if state.tab == .preview { state.tab = .json }
            return []
        case .approve:
            return bulk(&state, confirm: Confirmation.approve, act: Effect.approve)
        case .reject:
            let targets = state.targets
            guard !targets.isEmpty else { return nothing(&state) }
            state.prompt = .rejectNote(targets, "")
            state.promptCursor = 0
            return []
        case .select:
            guard let id = state.current?.shot.id else { return nothing(&state) }
            if state.selection.remove(id) == nil { state.selection.insert(id) }
            return move(to: state.cursor + 1, &state)
        case .selectAll:
            if !state.selection.isEmpty {
                state.selection.removeAll()
                state.message = "Selection cleared."
                return []
            }
            state.message = "Selecting every shot that matches…"
            return [.selectMatching(state.query)]
        case .undo:
            return [.undo]
        case .patch:
            guard let id = state.current?.shot.id else { return nothing(&state) }
            state.prompt = .patch(shotID: id, "")
            state.promptCursor = 0
            state.patchPreview = []
            return []
        case .edit:
            guard let detail = state.detail, detail.version.shotID == state.current?.shot.id else { return nothing(&state) }
            return [.editJSON(shotID: detail.version.shotID, json: detail.specJSON)]
        case .rerender:
            return bulk(&state, confirm: Confirmation.rerender, act: Effect.rerender)
        case .cancelJob:
            guard let job = state.job, job.running else {
                state.message = "No job is running."
                state.messageIsError = false
                return []
            }
            state.confirmation = .cancelJob(job.progress.jobID)
            return []
        case .export:
            state.confirmation = .export(batchID: state.query.batchID ?? state.current?.shot.batchID)
            return []
        case .compare:
            guard let shot = state.current?.shot else { return nothing(&state) }
            guard shot.latestVersion >= 2 else {
                state.message = "\(shot.id) has one version: patch it (p) to have two to compare."
                return []
            }
            state.compare = CompareState(shotID: shot.id)
            return [.loadCompare(shotID: shot.id, left: nil, right: nil)]
        case .tabPreview: return show(.preview, &state)
        case .tabJSON: return show(.json, &state)
        case .tabVersions: return show(.versions, &state)
        case .tabDiff: return show(.diff, &state)
        case .tabExplain: return show(.explain, &state)
        case .tabPrompt: return show(.prompt, &state)
        case .nextTab:
            let all = DetailTab.allCases
            return show(all[((all.firstIndex(of: state.tab) ?? 0) + 1) % all.count], &state)
        case .copyHash:
            guard let hash = state.current?.hash else { return nothing(&state) }
            state.message = "Copied the hash of \(state.current?.shot.id ?? "")."
            return [.copy(hash)]
        case .copyJSON:
            guard let detail = state.detail else { return nothing(&state) }
            state.message = "Copied the JSON of \(detail.version.shotID) v\(detail.version.number)."
            return [.copy(detail.specJSON)]
        case .help:
            state.showHelp = true
            return []
        case .quit:
            state.quitting = true
            return [.quit]
        }
    }

    private static func confirmed(_ confirmation: Confirmation, _ state: inout AppState) -> [Effect] {
        switch confirmation {
        case .approve(let ids):
            state.selection.removeAll()
            state.message = "Approving \(ids.count == 1 ? ids[0] : "\(ids.count) shots")…"
            state.messageIsError = false
            return [.approve(ids)]
        case .reject(let ids, let note):
            state.selection.removeAll()
            state.message = "Rejecting \(ids.count == 1 ? ids[0] : "\(ids.count) shots")…"
            state.messageIsError = false
            return [.reject(ids, note: note)]
        case .rerender(let ids):
            state.selection.removeAll()
            return [.rerender(ids)]
        case .edited(let id, let json):
            return [.replaceSpec(shotID: id, json: json)]
        case .export(let batch):
            return [.export(batchID: batch)]
        case .cancelJob(let id):
            return [.cancelJob(id)]
        }
    }

    // MARK: Prompt

    private static func edit(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let prompt = state.prompt else { return [] }
        switch key {
        case .escape:
            state.prompt = nil
            state.patchPreview = []
            state.message = "Cancelled."
            state.messageIsError = false
            return []
        case .enter:
            return submit(prompt, &state)
        default:
            break
        }
        var line = LineEditor(prompt.text, cursor: state.promptCursor)
        guard line.apply(key) else { return [] }
        state.promptCursor = line.cursor
        let text = line.text
        switch prompt {
        case .filter: state.prompt = .filter(text)
        case .rejectNote(let ids, _): state.prompt = .rejectNote(ids, text)
        case .patch(let id, _):
            state.prompt = .patch(shotID: id, text)
            state.patchPreview = preview(text, state.detail, shotID: id)
        }
        return []
    }

    /// Enter in a prompt. A problem (an empty note, an invalid patch) keeps the prompt open
    /// with the reason, so nothing typed is lost.
    private static func submit(_ prompt: Prompt, _ state: inout AppState) -> [Effect] {
        switch prompt {
        case .filter(let text):
            state.prompt = nil
            state.query.filter = text.trimmingCharacters(in: .whitespaces)
            state.message = state.query.filter.isEmpty ? "Filter cleared." : "Filter: \(state.query.filter)"
            state.selection.removeAll()
            return restart(&state)
        case .rejectNote(let ids, let note):
            let note = note.trimmingCharacters(in: .whitespaces)
            guard !note.isEmpty else {
                state.message = "A rejection needs a note: type one, or Esc to cancel."
                state.messageIsError = true
                return []
            }
            state.prompt = nil
            if ids.count > 1 {
                state.confirmation = .reject(ids, note: note)
                return []
            }
            return [.reject(ids, note: note)]
        case .patch(let id, let text):
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                state.message = "Type path=value (e.g. camera.fov=60), or Esc to cancel."
                state.messageIsError = true
                return []
            }
            do {
                let assignments = try PatchText.assignments(text)
                // The diff preview is on screen already: Enter applies what it shows.
                if let detail = state.detail, detail.version.shotID == id {
                    _ = try Patcher.apply([.assignments(assignments)], to: detail.version)
                }
            } catch {
                state.message = "\(error)"
                state.messageIsError = true
                return []
            }
            state.prompt = nil
            state.patchPreview = []
            state.message = "Creating a new version of \(id)…"
            state.messageIsError = false
            return [.patch(shotID: id, assignments: text)]
        }
    }

    /// The changes a patch would make, for the live preview while it is typed.
    static func preview(_ text: String, _ detail: ShotDetail?, shotID: String) -> [String] {
        guard let detail, detail.version.shotID == shotID else { return ["(loading the shot…)"] }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return ["Type path=value, e.g. camera.fov=60; Enter applies, Esc cancels."] }
        do {
            let patched = try Patcher.apply([.assignments(try PatchText.assignments(text))], to: detail.version)
            if patched.changes.isEmpty { return ["(no change)"] }
            return patched.changes.map(Patcher.describe)
        } catch {
            return ["✗ \(error)"]
        }
    }

    // MARK: Compare

    /// Keys of the compare view: `[` and `]` pick the left version (the right stays), `f` flips
    /// the images, `D` shows where the pixels differ, Esc (or `C`, or `q`) returns to the table.
    private static func compareKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var compare = state.compare else { return [] }
        state.message = nil
        switch key {
        case .escape, .character("C"), .character("q"):
            state.compare = nil
            return []
        case .character("f"):
            compare.flipped.toggle()
            state.compare = compare
            return []
        case .character("D"):
            compare.showDifference.toggle()
            state.compare = compare
            if compare.showDifference, compare.data?.difference == nil {
                state.message = "Both versions need a rendered image to show where they differ."
            }
            return []
        case .character("["), .character("]"):
            guard let data = compare.data, let left = compare.left else { return [] }
            let candidates = data.numbers.filter { $0 != data.right.version.number }
            guard let index = candidates.firstIndex(of: left) else { return [] }
            let next = key == .character("[") ? index - 1 : index + 1
            guard candidates.indices.contains(next) else {
                state.message = key == .character("[") ? "v\(left) is the oldest version." : "No newer version to compare with v\(data.right.version.number)."
                return []
            }
            compare.left = candidates[next]
            compare.flipped = false
            state.compare = compare
            return [.loadCompare(shotID: compare.shotID, left: candidates[next], right: data.right.version.number)]
        case .character("?"):
            state.showHelp = true
            return []
        default:
            state.message = "Compare: [ ] pick the version, f flips, D shows differences, Esc returns."
            return []
        }
    }

    // MARK: Review

    /// A decision is shown from what the store wrote, without asking for the page again; the
    /// page is then refreshed behind it (other columns, a filter the shot no longer matches).
    private static func reviewed(_ decision: ReviewDecision, _ state: inout AppState) -> [Effect] {
        state.message = decision.message
        state.messageIsError = false
        let wasOnDecided = state.current.map { decision.shotIDs.contains($0.shot.id) } ?? false
        if var page = state.page {
            apply(decision, to: &page)
            state.page = page
        }
        if var detail = state.detail {
            apply(decision, to: &detail)
            state.detail = detail
        }
        // A page read already under way may have begun before this write: until one that began
        // after it arrives, reads get this decision applied (no flicker back to `pending`).
        state.unconfirmedDecisions.append(decision)
        var effects: [Effect] = []
        if state.advanceAfterReview, decision.shotIDs.count == 1, wasOnDecided {
            effects += move(to: nextPending(after: state.cursor, state), &state)
        }
        let query = window(state)
        state.loading = query
        effects.append(.loadPage(query))
        if let id = state.current?.shot.id, !effects.contains(.loadDetail(shotID: id)) { effects.append(.loadDetail(shotID: id)) }
        return effects
    }

    private static func apply(_ decision: ReviewDecision, to page: inout ShotPage) {
        let decided = Set(decision.shotIDs)
        for index in page.rows.indices where decided.contains(page.rows[index].shot.id) {
            page.rows[index].review = decision.status
        }
    }

    private static func apply(_ decision: ReviewDecision, to detail: inout ShotDetail) {
        if decision.shotIDs.contains(detail.version.shotID) { detail.version.review = decision.status }
    }

    /// The next row after `index` still pending among the loaded ones, else the next row.
    static func nextPending(after index: Int, _ state: AppState) -> Int {
        guard let page = state.page else { return index + 1 }
        var next = index + 1
        while next < page.offset + page.rows.count {
            if let row = state.row(at: next), row.review == .pending { return next }
            next += 1
        }
        return index + 1
    }

    // MARK: Navigation

    /// An action on the selected shots (confirmed first), else on the one under the cursor.
    private static func bulk(
        _ state: inout AppState, confirm: ([String]) -> Confirmation, act: ([String]) -> Effect
    ) -> [Effect] {
        let targets = state.targets
        guard !targets.isEmpty else { return nothing(&state) }
        // A selection (even of one shot: `*` on a filter that matched one) is confirmed first;
        // the shot under the cursor is acted on at once.
        if !state.selection.isEmpty {
            state.confirmation = confirm(targets)
            return []
        }
        return [act(targets)]
    }

    private static func nothing(_ state: inout AppState) -> [Effect] {
        state.message = "No shot here."
        state.messageIsError = false
        return []
    }

    private static func show(_ tab: DetailTab, _ state: inout AppState) -> [Effect] {
        state.tab = tab
        state.detailScroll = 0
        return []
    }

    private static func move(to index: Int, _ state: inout AppState) -> [Effect] {
        let before = state.current?.shot.id
        state.cursor = max(0, min(index, state.total - 1))
        var effects = follow(&state)
        if let now = state.current?.shot.id, now != before { effects.append(.loadDetail(shotID: now)) }
        return effects
    }

    /// Keeps the cursor on screen, and asks for the rows around it when they are not loaded.
    private static func follow(_ state: inout AppState) -> [Effect] {
        let rows = Layout(width: state.width, height: state.height).tableRows
        if state.cursor < state.scroll { state.scroll = state.cursor }
        if state.cursor >= state.scroll + rows { state.scroll = state.cursor - rows + 1 }
        state.scroll = max(0, min(state.scroll, max(0, state.total - rows)))
        guard let page = state.page else { return [] }
        let end = min(state.total, state.scroll + rows)
        if state.scroll >= page.offset && end <= page.offset + page.rows.count { return [] }
        let query = window(state)
        if state.loading == query { return [] }
        state.loading = query
        return [.loadPage(query)]
    }

    /// The rows to load around what is shown: the visible ones and `margin` on each side.
    private static func window(_ state: AppState) -> ShotQuery {
        var query = state.query
        query.offset = max(0, state.scroll - margin)
        query.limit = Layout(width: state.width, height: state.height).tableRows + 2 * margin
        return query
    }

    /// A new filter or sort: back to the first row.
    private static func restart(_ state: inout AppState) -> [Effect] {
        state.cursor = 0
        state.scroll = 0
        state.page = nil
        return reload(&state)
    }

    /// Asks again for what is shown (data changed).
    static func reload(_ state: inout AppState) -> [Effect] {
        let query = window(state)
        state.loading = query
        var effects: [Effect] = [.loadPage(query)]
        if let id = state.current?.shot.id { effects.append(.loadDetail(shotID: id)) }
        return effects
    }

    // MARK: Jobs

    private static func render(_ event: RenderEvent, _ state: inout AppState) -> [Effect] {
        switch event {
        case .started(let jobID, let total):
            state.renderingHere = true
            state.job = JobStatus(
                progress: RenderProgress(jobID: jobID, total: total, done: 0, cached: 0, failed: 0, providerCalls: 0, retries: 0, elapsed: 0),
                running: true, state: "running", lastFailure: nil)
            return []
        case .progress(let progress):
            state.renderingHere = true
            let failure = state.job?.lastFailure
            state.job = JobStatus(progress: progress, running: true, state: "running", lastFailure: failure)
            return []
        case .itemFailed(_, let shotID, let version, let message):
            state.job?.lastFailure = "\(shotID) v\(version): \(message)"
            return []
        case .finished(let jobID, let jobState, let progress):
            state.renderingHere = false
            let failure = state.job?.lastFailure
            state.job = JobStatus(progress: progress, running: false, state: jobState.rawValue, lastFailure: failure)
            state.message = "Job \(jobID) \(jobState.rawValue): \(progress.done) rendered, \(progress.cached) cached, \(progress.failed) failed."
            state.messageIsError = jobState != .done
            return reload(&state)
        }
    }
}
