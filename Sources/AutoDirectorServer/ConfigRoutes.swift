import AutoDirectorCore
import Hummingbird

/// The project's configuration (SPEC §17), as the command `config`: `GET /config` lists the
/// settings, `POST /config` sets those in the body (`{"stages": "art, brand"}`; "" unsets).
extension ServiceContext {
    func configRoutes(_ router: ServiceRoutes) {
        router.get("/config") { _, _ -> Response in
            try await configResponse()
        }

        router.post("/config") { request, _ -> Response in
            let body = try await jsonBody(request)
            try JSONResponse.only(body, Set(ProjectSetting.allCases.map(\.rawValue)))
            // Every value checked before any is stored.
            let values = try body.map { member -> (String, String) in
                guard case .string(let text) = member.value else {
                    throw APIError.validation(["body", member.key], "Input should be a valid string", type: "string_type", input: member.value)
                }
                return (member.key, text)
            }
            try await engine { engine in
                for (key, value) in values { try engine.setProjectSetting(key, to: value) }
            }
            return try await configResponse()
        }
    }

    private func configResponse() async throws -> Response {
        let (settings, stages) = try await engine { engine in (try engine.projectSettings(), try engine.approvalStages()) }
        var object = JSONObject()
        for (setting, value) in settings { object[setting.rawValue] = .string(value) }
        object["approval_stages"] = .array(stages.names.map(JSONValue.string))
        return JSONResponse.make(.object(object))
    }
}
