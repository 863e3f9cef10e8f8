import Foundation

/// Where planning data comes from: files in the project directory (`rules/defaults.json`,
/// `rules/rules.json`, `presets/ID.json`) override the copies of `assets/` built into the program,
/// so a project can carry its own look without rebuilding. On a shared project, the files a batch
/// was last planned with (kept in the database) come between the two: a machine without its own
/// copy plans the batch as the machine that planned it did.
public struct AssetCatalog: Sendable {
    public var projectDirectory: URL?
    /// The files a batch was last planned with, and the batch.
    public var stored: (batchID: String, files: PlanFiles)?
    /// Texts already read, by path, with where each was read from: consulted before anything
    /// else, so that a plan and the files stored with it are the same bytes (`pinned(preset:)`).
    private var pinnedTexts: [String: (text: String, location: String)] = [:]

    public init(projectDirectory: URL?, stored: (batchID: String, files: PlanFiles)? = nil) {
        self.projectDirectory = projectDirectory
        self.stored = stored
    }

    /// The text of every file a plan with `presetID` reads, by path: what the database keeps
    /// with the batch.
    public func planFiles(preset presetID: String?) throws -> PlanFiles {
        var paths = ["rules/defaults.json", "rules/rules.json"]
        if let presetID {
            _ = try preset(presetID)
            paths.append("presets/\(presetID).json")
        }
        var texts: [String: String] = [:]
        for path in paths { texts[path] = try load(path).0 }
        return PlanFiles(texts: texts)
    }

    /// This catalog with every file a plan with `presetID` reads read once, now: a planner built
    /// from it and the `planFiles` it reports agree even if a file changes meanwhile.
    public func pinned(preset presetID: String?) throws -> AssetCatalog {
        var paths = ["rules/defaults.json", "rules/rules.json"]
        if let presetID {
            _ = try preset(presetID)
            paths.append("presets/\(presetID).json")
        }
        var copy = self
        for path in paths {
            let (text, location) = try load(path)
            copy.pinnedTexts[path] = (text, location)
        }
        return copy
    }

    public func defaults() throws -> JSONObject {
        let (text, location) = try load("rules/defaults.json")
        guard let object = try parse(text, location).objectValue else {
            throw AssetError(location: location, message: "defaults must be a JSON object (a spec without shot_id, subject and seed)")
        }
        for key in object.keys where SpecParts.identityKeys.contains(key) || key == "seed" {
            throw AssetError(location: location, message: "defaults describe the look of a shot; they cannot set \(key)")
        }
        return object
    }

    public func rules() throws -> [Rule] {
        let (text, location) = try load("rules/rules.json")
        guard let list = try parse(text, location)["rules"]?.arrayValue else {
            throw AssetError(location: location, message: "expected {\"rules\": [ … ]}")
        }
        var seen = Set<String>()
        return try list.enumerated().map { index, json in
            let rule = try Rule(json: json, where: "\(location), rule \(index + 1)")
            guard seen.insert(rule.id).inserted else {
                throw AssetError(location: location, message: "rule id \(rule.id) is used twice")
            }
            return rule
        }
    }

    public func preset(_ id: String) throws -> Preset {
        if let problem = ShotID.problem(id) {
            throw AssetError(location: "preset \(TextSanitizer.quoted(id))", message: problem.replacingOccurrences(of: "shot_id", with: "preset id"))
        }
        let path = "presets/\(id).json"
        let loaded: (String, String)?
        do { loaded = try load(path) } catch let error as ProjectPathError { throw error } catch { loaded = nil }
        guard let (text, location) = loaded else {
            let known = presetIDs()
            throw AssetError(
                location: "preset \(id)",
                message: "no such preset (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        return try Preset(id: id, patch: parse(text, location))
    }

    public func presetIDs() -> [String] {
        var ids = Set(EmbeddedAssets.files.keys.compactMap { key -> String? in
            guard key.hasPrefix("presets/"), key.hasSuffix(".json") else { return nil }
            return String(key.dropFirst("presets/".count).dropLast(".json".count))
        })
        for path in stored?.files.paths ?? [] where path.hasPrefix("presets/") && path.hasSuffix(".json") {
            ids.insert(String(path.dropFirst("presets/".count).dropLast(".json".count)))
        }
        if let dir = projectDirectory?.appendingPathComponent("presets"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
        {
            for name in names where name.hasSuffix(".json") { ids.insert(String(name.dropLast(5))) }
        }
        return ids.sorted()
    }

    private func load(_ relative: String) throws -> (String, String) {
        if let pinned = pinnedTexts[relative] { return (pinned.text, pinned.location) }
        if let dir = projectDirectory {
            let url = try ProjectPaths.inside(dir, relative)
            if FileManager.default.fileExists(atPath: url.path) {
                let data = try Data(contentsOf: url)
                guard let text = String(data: data, encoding: .utf8) else {
                    throw AssetError(location: url.path, message: "not valid UTF-8")
                }
                return (text, url.path)
            }
        }
        if let stored, let text = stored.files[relative] {
            return (text, "\(relative) as batch \(stored.batchID) was planned")
        }
        guard let text = EmbeddedAssets.files[relative] else {
            throw AssetError(location: relative, message: "not found")
        }
        return (text, "assets/\(relative)")
    }

    private func parse(_ text: String, _ location: String) throws -> JSONValue {
        do { return try JSONParser.parse(text) } catch let error as JSONParseError {
            throw AssetError(location: "\(location):\(error.line):\(error.column)", message: error.message)
        }
    }
}
