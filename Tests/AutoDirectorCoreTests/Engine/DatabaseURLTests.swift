import Testing
@testable import AutoDirectorCore

@Suite struct DatabaseURLTests {
    @Test func aFullURLIsReadAndPrintedWithoutItsPassword() throws {
        let url = try DatabaseURL("postgres://ana:p%40ss:w0rd@db.studio.example:6432/fibo?sslmode=require&listen=off")
        #expect(url.user == "ana" && url.password == "p@ss:w0rd" && url.host == "db.studio.example" && url.port == 6432)
        #expect(url.database == "fibo" && url.sslMode == .require && !url.listens)
        #expect(url.description == "postgres://ana:***@db.studio.example:6432/fibo?sslmode=require&listen=off")
    }

    @Test func defaultsAndIPv6() throws {
        let url = try DatabaseURL("postgresql://render@[::1]/batch")
        #expect(url.port == 5432 && url.host == "::1" && url.password == nil && url.sslMode == .prefer && url.listens)
        #expect(url.description == "postgres://render@[::1]:5432/batch")
    }

    @Test(arguments: [
        "mysql://ana:secret-pw@host/db", "postgres://host/db", "postgres://ana:secret-pw@host", "postgres://ana:secret-pw@host:99999/db",
        "postgres://ana:secret-pw@host/db?sslmode=verify-full", "postgres://ana:secret-pw@host/db?pool=3", "postgres://ana:secret-pw@:5432/db",
        "postgres://ana:secret-pw@host/db?listen=maybe",
    ])
    func malformedURLsSayWhyWithoutThePassword(_ text: String) {
        let error = #expect(throws: DatabaseURLError.self) { try DatabaseURL(text) }
        #expect(error.map { !"\($0)".contains("secret-pw") } == true)
    }

    @Test func theFlagWinsOverTheEnvironmentAndNeitherMeansSQLite() throws {
        let environment = [DatabaseURL.environmentKey: "postgres://env@host/a"]
        #expect(try DatabaseURL.chosen(flag: nil, environment: [:]) == nil)
        #expect(try DatabaseURL.chosen(flag: nil, environment: environment)?.user == "env")
        #expect(try DatabaseURL.chosen(flag: "postgres://flag@host/b", environment: environment)?.user == "flag")
    }
}
