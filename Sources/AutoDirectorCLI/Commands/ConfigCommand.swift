import ArgumentParser
import AutoDirectorCore

/// The project's configuration, kept in its database so every machine of a shared project
/// reads the same (SPEC §17).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show or set the project's configuration (`config stages \"art, brand\"`).",
        discussion: """
            Settings: stages — the approval stages, in order (default: one stage). With stages, \
            `approve --stage NAME` approves for one of them and a shot is approved once every \
            stage has approved it. An empty value unsets a setting.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "A setting's name (default: list them all).")
    var key: String?

    @Argument(help: "Its new value (default: print it).")
    var value: String?

    func run() throws {
        let engine = try project.engine()
        if let key, let value {
            let stored = try engine.setProjectSetting(key, to: value)
            if output.json { return Print.json([key: .string(stored)]) }
            return Print.line(stored.isEmpty ? "\(key) unset" : "\(key) = \(TextSanitizer.visible(stored))")
        }
        var settings = try engine.projectSettings()
        if let key {
            guard ProjectSetting(rawValue: key) != nil else { throw UnknownSettingError(key: key) }
            settings = settings.filter { $0.setting.rawValue == key }
        }
        if output.json {
            return Print.json(.object(JSONObject(settings.map { JSONMember($0.setting.rawValue, .string($0.value)) })))
        }
        for (setting, value) in settings { Print.line("\(setting.rawValue) = \(TextSanitizer.visible(value))") }
    }
}
