import Testing
import BusRuntime

struct HeartbeatTests {
    @Test("a heartbeat is alive until its tolerance passes without a beat")
    func heartbeat() async throws {
        let heartbeat = Heartbeat(tolerance: .milliseconds(50))
        #expect(heartbeat.isAlive)
        try await Task.sleep(for: .milliseconds(120))
        #expect(!heartbeat.isAlive)
        heartbeat.beat()
        #expect(heartbeat.isAlive)
    }
}
