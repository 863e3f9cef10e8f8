import AutoDirectorCore

/// Everything that can change the state: keys, the terminal, and results posted by the engine
/// bridge from its own thread.
public enum AppEvent: Sendable, Equatable {
    case key(Key)
    case resize(width: Int, height: Int)
    case pageLoaded(ShotPage, ShotQuery)
    case detailLoaded(ShotDetail)
    case render(RenderEvent)
    /// An action finished; the text says what happened. Data changed: reload what is shown.
    case done(String)
    case failed(String)
    /// The JSON came back from $EDITOR.
    case edited(shotID: String, json: String)
}

/// Work `update` asks for; the bridge runs it off the UI thread and posts events back.
public enum Effect: Sendable, Equatable {
    case loadPage(ShotQuery)
    case loadDetail(shotID: String)
    case approve([String])
    case reject([String], note: String)
    case undo
    case patch(shotID: String, assignments: String)
    case replaceSpec(shotID: String, json: String)
    case rerender([String])
    case editJSON(shotID: String, json: String)
    case cancelJob(Int64)
    case export(batchID: String?)
    case copy(String)
    case quit
}
