/// One of the six workers as the demo sees it, however it runs (a thread here, a child
/// process): whether it is ready, whether it stopped on its own, and a clean stop.
protocol DemoWorker: AnyObject {
    var name: String { get }
    /// Assigned, state restored, tables loaded.
    var isReady: Bool { get }
    /// Why it is not ready yet, for the report when it never gets there.
    var notReadyReason: String? { get }
    /// Why it stopped on its own, if it did.
    var failure: String? { get }
    /// Asks for a clean stop (finish in-flight inputs, commit, leave the group) without
    /// waiting, so that several workers stop at once.
    func requestStop()
    /// Waits until the worker stopped.
    func waitUntilStopped()
}
