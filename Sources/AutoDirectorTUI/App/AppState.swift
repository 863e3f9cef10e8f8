import AutoDirectorCore

/// The detail panel's tabs.
public enum DetailTab: String, Sendable, CaseIterable {
    case preview, json, versions, notes, diff, explain, prompt

    public var title: String {
        switch self {
        case .preview: return "Preview"
        case .json: return "JSON"
        case .versions: return "Versions"
        case .notes: return "Notes"
        case .diff: return "Diff"
        case .explain: return "Explain"
        case .prompt: return "Prompt"
        }
    }
}

/// An image scaled down for the preview panel, as RGB.
public struct PreviewImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var rgb: [UInt8]
    public var originalWidth: Int
    public var originalHeight: Int
    public var sha256: String

    public init(width: Int, height: Int, rgb: [UInt8], originalWidth: Int, originalHeight: Int, sha256: String) {
        self.width = width
        self.height = height
        self.rgb = rgb
        self.originalWidth = originalWidth
        self.originalHeight = originalHeight
        self.sha256 = sha256
    }
}

/// What the detail panel shows for one shot, prepared off the UI thread: the text of each tab
/// is built once, so drawing a frame only copies visible lines.
public struct ShotDetail: Sendable, Equatable {
    public var version: ShotVersion
    public var versionCount: Int
    public var lines: [DetailTab: [String]]
    public var preview: PreviewImage?
    public var specJSON: String
    /// The rendered image itself, which graphics modes draw from (not the small preview).
    public var artifact: Artifact?
    /// Why a rendered version's image could not be shown (its file is not on this machine).
    public var previewProblem: String?
    /// The version's notes: the Notes tab's threads, the pins drawn on its picture.
    public var notes: VersionNotes?
    /// The tabs' text as wrapped for the panel so far, kept from frame to frame.
    let wrapCache = DetailWrapCache()

    public init(
        version: ShotVersion, versionCount: Int, lines: [DetailTab: [String]], preview: PreviewImage?, specJSON: String, artifact: Artifact? = nil,
        previewProblem: String? = nil, notes: VersionNotes? = nil
    ) {
        self.version = version
        self.versionCount = versionCount
        self.lines = lines
        self.preview = preview
        self.specJSON = specJSON
        self.artifact = artifact
        self.previewProblem = previewProblem
        self.notes = notes
    }

    /// The pins drawn on the picture, the thread `focused` (a number) highlighted.
    func pinMarks(focused: Int?) -> [PinPainter.Mark] { notes?.pinMarks(focused: focused) ?? [] }
}

/// A question the user must answer with y before something destructive or bulk happens.
public enum Confirmation: Sendable, Equatable {
    case approve([String], stage: String?)
    case review(ReviewChange, [String], note: String?)
    /// Re-render the shots; `estimate` says what it will call and cost.
    case rerender([String], estimate: String)
    case edited(shotID: String, json: String)
    case export(batchID: String?)
    case cancelJob(Int64)
    /// FIBO's prompt model answered a note (`N`): store its structured prompt as a new version?
    case refine(Refinement)

    public var question: String {
        switch self {
        case .approve(let ids, let stage): return "Approve \(Self.count(ids))\(stage.map { " at \($0)" } ?? "")?"
        case .review(let change, let ids, _): return "\(change.question) \(Self.count(ids))?"
        case .rerender(let ids, let estimate): return "Re-render \(Self.count(ids)): \(estimate)?"
        case .edited(let id, _): return "Save the edited JSON as a new version of \(id) and render it?"
        case .export(let batch): return "Export \(batch.map { "batch \($0)" } ?? "every batch")?"
        case .cancelJob(let id): return "Cancel job \(id)?"
        case .refine(let refinement):
            let count = refinement.changes.count
            return "Store FIBO's answer (\(count) field\(count == 1 ? "" : "s")) as \(refinement.base.shotID) v\(refinement.base.number + 1) and render it?"
        }
    }

    private static func count(_ ids: [String]) -> String {
        ids.count == 1 ? ids[0] : "\(ids.count) shots"
    }
}

/// A line of text being typed at the bottom of the screen.
public enum Prompt: Sendable, Equatable {
    case filter(String)
    /// The note a retake or a rejection needs (a retake's pinned where `pin` says).
    case reviewNote(ReviewChange, [String], String, pin: NotePin?)
    /// A note on a shot's latest version, pinned or not.
    case note(shotID: String, pin: NotePin?, String)
    case patch(shotID: String, String)
    /// A note for FIBO's prompt model to refine the shot's latest version with (`N`).
    case refine(shotID: String, String)
    /// Whom to assign the shots to.
    case assignee([String], String)
    /// The approval stage to approve the shots at (a project with stages).
    case stage([String], String)

    public var text: String {
        switch self {
        case .filter(let text), .reviewNote(_, _, let text, _), .note(_, _, let text), .patch(_, let text), .refine(_, let text), .assignee(_, let text), .stage(_, let text): return text
        }
    }
}

/// What a shot's detail depends on, as its table row shows it: another shot, another version,
/// or a new hash, render status or review make the detail worth loading again (each load is
/// some 14 reads and a PNG decode); a refresh of an unchanged row does not.
public struct DetailKey: Sendable, Equatable {
    public var shotID: String
    public var version: Int
    public var hash: String
    public var renderStatus: RenderStatus
    public var review: ReviewStatus

    public init(_ row: ShotSummary) {
        shotID = row.shot.id
        version = row.shot.latestVersion
        hash = row.hash
        renderStatus = row.renderStatus
        review = row.review
    }
}

/// Live state of the render job the TUI watches.
public struct JobStatus: Sendable, Equatable {
    public var progress: RenderProgress
    public var running: Bool
    public var state: String
    public var lastFailure: String?
}

/// Everything the screen shows. `update` changes it; `Screen.render` draws it.
public struct AppState: Sendable, Equatable {
    public enum Focus: Sendable, Equatable { case table, detail }

    public var width: Int
    public var height: Int
    public var title: String
    public var query: ShotQuery
    public var page: ShotPage?
    /// The query of the page being loaded, so the same window is not asked for twice.
    public var loading: ShotQuery?
    public var cursor = 0
    public var scroll = 0
    public var selection: Set<String> = []
    public var focus: Focus = .table
    public var tab: DetailTab = .preview
    public var detailScroll = 0
    public var detail: ShotDetail?
    public var job: JobStatus?
    /// A render of this process is running (its events, not polls, drive the job line).
    public var renderingHere = false
    public var prompt: Prompt?
    /// Where the prompt's next character goes (see `LineEditor`).
    public var promptCursor = 0
    public var patchPreview: [String] = []
    public var confirmation: Confirmation?
    public var showHelp = false
    public var message: String?
    public var messageIsError = false
    public var quitting = false
    /// Draw with ASCII only (the locale's codeset is not UTF-8).
    public var ascii: Bool
    /// Draw with colours (a colour terminal and no NO_COLOR).
    public var colors: Bool
    public var keymap: Keymap
    /// After `a` or `r`, move to the next shot still pending (tui.conf `advance_after_review`).
    public var advanceAfterReview = true
    /// The compare view (`C`), when it is open: it covers the table and the detail.
    public var compare: CompareState?
    /// The seed variants view (`V`), when it is open: it covers the table and the detail.
    public var variants: VariantsState?
    /// A pin being placed on the preview (`n`, `t`): the crosshair, moved by keys.
    public var pinning: PinPlacement?
    /// The open note `]` and `[` stepped to (its thread's number in the shown version).
    public var focusedNote: Int?
    /// Who is reviewing: whose queue `m` shows.
    public var reviewer = "unknown"
    /// The project's approval stages: `a` asks which when there are several.
    public var stages = ApprovalStages.single
    /// Saved filters from tui.conf (`view.mine = assignee:@me status:pending`), in file order;
    /// `w` steps through them and back to every shot.
    public var views: [TUISettings.View] = []
    /// The view shown (an index into `views`), nil for none.
    public var viewIndex: Int?
    /// How the preview shows images (detected at start-up, see `TerminalCapabilities`).
    public var imageMode: ImageMode = .symbols
    /// One cell's size in pixels, for fitting an image's aspect ratio into cells.
    public var cellPixels: CellPixels = .assumed
    /// The terminal has 24-bit colour (COLORTERM): symbols are drawn in it, beside curses.
    public var truecolor = false
    /// Placements (`GraphicsPlacement.key`) whose sequence could not be made: those images are
    /// drawn as half blocks in the frame, so a failed encoding never leaves the panel blank. A
    /// resize tries them again (sizes and places change, and a file may be back).
    public var failedGraphics: Set<String> = []
    static let failedGraphicsLimit = 256
    /// The row the detail was last asked for: it is asked for again only when the row under
    /// the cursor differs (see `DetailKey`), not on every refresh of the page.
    public var detailKey: DetailKey?
    /// How often a render of this process refreshes the rows as it commits: its progress comes
    /// with each commit, up to hundreds a second for a fast provider; this is as often as the
    /// watcher notices another process's commits.
    public var renderRefreshInterval: Duration = .milliseconds(400)
    /// The render's `elapsed` at the last refresh its progress caused.
    var renderRefreshedAt: Double?

    public init(width: Int, height: Int, title: String, batchID: String? = nil, ascii: Bool = false, colors: Bool = true, keymap: Keymap = Keymap()) {
        self.width = width
        self.height = height
        self.title = title
        self.query = ShotQuery(batchID: batchID)
        self.ascii = ascii
        self.colors = colors
        self.keymap = keymap
    }

    /// The shot under the cursor, when its row is loaded.
    public var current: ShotSummary? { row(at: cursor) }

    public func row(at index: Int) -> ShotSummary? {
        guard let page, index >= page.offset, index < page.offset + page.rows.count else { return nil }
        return page.rows[index - page.offset]
    }

    public var total: Int { page?.total ?? 0 }

    /// The shots an action applies to: the selection, else the shot under the cursor.
    public var targets: [String] {
        if !selection.isEmpty { return selection.sorted() }
        return current.map { [$0.shot.id] } ?? []
    }
}
