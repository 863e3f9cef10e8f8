/// What a key does in the table and the detail. Keys map to actions through the `Keymap`;
/// `Update` acts on actions.
public enum Action: String, Sendable, CaseIterable {
    case down, up, pageDown, pageUp, top, bottom
    case filter, sort, focus, detail
    case approve, reject, retake, hold, select, selectAll, undo
    case note, nextNote, previousNote, resolveNote, assign, myQueue, view
    case patch, edit, rerender, cancelJob, export, compare, variants, refine
    case tabPreview, tabJSON, tabVersions, tabNotes, tabDiff, tabExplain, tabPrompt, nextTab
    case copyHash, copyJSON
    case help, quit

    /// One line for the help overlay (at most 24 columns: two columns fit in 80).
    public var summary: String {
        switch self {
        case .down: return "move down"
        case .up: return "move up"
        case .pageDown: return "page down"
        case .pageUp: return "page up"
        case .top: return "first shot"
        case .bottom: return "last shot"
        case .filter: return "filter (status:, new …)"
        case .sort: return "cycle the sort order"
        case .focus: return "focus table / detail"
        case .detail: return "open the detail"
        case .approve: return "approve"
        case .reject: return "reject with a note"
        case .retake: return "request changes (note)"
        case .hold: return "hold / release"
        case .select: return "select for bulk"
        case .selectAll: return "select all matching"
        case .undo: return "undo my last review"
        case .note: return "note, pinned or not"
        case .nextNote: return "next open note"
        case .previousNote: return "previous open note"
        case .resolveNote: return "resolve / reopen note"
        case .assign: return "assign to a reviewer"
        case .myQueue: return "my queue on / off"
        case .view: return "next saved view"
        case .patch: return "patch, diff preview"
        case .edit: return "edit JSON in $EDITOR"
        case .rerender: return "re-render"
        case .cancelJob: return "cancel the running job"
        case .export: return "export the batch"
        case .compare: return "compare two versions"
        case .variants: return "seed variants, pick one"
        case .refine: return "refine from a note"
        case .tabPreview: return "tab: image preview"
        case .tabJSON: return "tab: spec JSON"
        case .tabVersions: return "tab: versions"
        case .tabNotes: return "tab: notes"
        case .tabDiff: return "tab: diff with parent"
        case .tabExplain: return "tab: explain"
        case .tabPrompt: return "tab: FIBO prompt"
        case .nextTab: return "next tab"
        case .copyHash: return "copy hash (OSC 52)"
        case .copyJSON: return "copy JSON (OSC 52)"
        case .help: return "this help"
        case .quit: return "quit"
        }
    }
}

/// What a key does in the compare view (`C`). Its names are `compare…` so that one keys.conf
/// names both contexts' actions without ambiguity.
public enum CompareAction: String, Sendable, CaseIterable {
    /// The left version one older (the right one stays).
    case compareOlder
    /// The left version one newer, up to the one before the right.
    case compareNewer
    /// Each image in the other's cells, so the eye sees what moved.
    case compareFlip
    /// The right image replaced by where the pixels differ.
    case compareDifference
    /// Back to the table.
    case compareBack

    /// One line for the help overlay (at most 24 columns, as `Action.summary`).
    public var summary: String {
        switch self {
        case .compareOlder: return "left: older version"
        case .compareNewer: return "left: newer version"
        case .compareFlip: return "flip the two images"
        case .compareDifference: return "show where pixels differ"
        case .compareBack: return "back to the table"
        }
    }
}
