import BusKafka
import BusSchema
import Foundation

/// `bus publish TOPIC [FILE|-]`: validates a message and publishes it as the bus expects,
/// with the CloudEvents binary-mode headers.
struct PublishCommand: BusCommand {
    let name = "publish"
    let summary = "validate a message file and publish it with CloudEvents headers"
    let usage = """
    usage: bus publish TOPIC [FILE|-] --key K [--type T] [--source S]
      FILE               the message as JSON (default, or -: standard input); a structured CloudEvent
                         (application/cloudevents+json) is accepted and keeps its attributes
      --key K            the record key: the one the topic's key column names (order number, SKU, ...)
      --type T           the message type, e.g. shop.order or shop.order.v1; default from a file named
                         <type>.v<N>.json, else the topic's only type; the version defaults to the newest
      --source S         ce_source, who publishes (default bus/cli)
    \(CatalogueFile.usage)
    \(ClusterConnection.usage)
    The message is validated strictly (unknown fields refused) and every problem listed; an invalid one
    is not published (exit 1). Headers: ce_specversion, ce_id (a fresh UUID), ce_source, ce_type, ce_time
    (now), content-type, ce_dataschema. Prints the partition and offset.
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(
            arguments, known: ClusterConnection.flags.union(["key", "type", "source", CatalogueFile.flag]))
        let positionals = try parsed.positionals(["TOPIC", "FILE"], required: 1)
        let topicName = positionals[0]
        let path = positionals.count > 1 ? positionals[1] : "-"
        let explicitType = try parsed.options["type"].map { text throws(UsageError) -> SchemaReference in
            if let reference = SchemaReference(uri: text) { return reference }
            guard let newest = MessageRegistry.standard.versions(of: text).last else {
                throw UsageError(message: "--type \(text) is not a known message type")
            }
            return SchemaReference(messageType: text, version: newest)
        }
        let connection = ClusterConnection(parsed)
        return try attempt(output) {
            let catalogue = try CatalogueFile.load(parsed)
            guard let topic = catalogue.topic(named: topicName), !topic.messageTypes.isEmpty else {
                let carrying = catalogue.topics.filter { !$0.messageTypes.isEmpty }.map(\.name)
                throw CommandFailure("\(topicName) is not a catalogue topic that carries messages (those are: \(carrying.joined(separator: ", ")))")
            }
            guard let key = parsed.options["key"], !key.isEmpty else {
                throw UsageError(message: "--key is required: the key of \(topic.name) is the \(topic.key)")
            }
            let data = try MessageFile.read(path)
            let label = MessageFile.label(path)
            var file = try MessageFile(data: data, path: path, topic: topic, explicitType: explicitType,
                                       source: parsed.options["source"] ?? "bus/cli")
            guard topic.messageTypes.contains(file.envelope.type) else {
                throw CommandFailure("\(topic.name) does not carry \(file.envelope.type); it carries \(topic.messageTypes.joined(separator: ", "))")
            }
            let reference: SchemaReference
            do throws(SchemaError) {
                reference = try file.check(key: key)
            } catch {
                MessageFile.report(error, label: label, prefix: "not published: ", output: output)
                return .failure
            }
            // Published records name their version, whatever the input left implicit.
            file.envelope.dataSchema = reference.uri
            let (envelope, payload) = (file.envelope, file.payload)
            let value = JSONWriter.compact(try JSONParser().parse(payload))
            let record = ProducerRecord(
                topic: topic.name, key: key, value: value,
                headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
            let producer = try connection.producer()
            defer { producer.close() }
            try connection.requireTopic(record.topic, using: producer)
            let report: DeliveryReport
            do { report = try Delivery(producer: producer).send(record) } catch { throw connection.unreachable(error) }
            output.line("published \(reference) to \(report.topic) partition \(report.partition) offset \(report.offset) (ce_id \(envelope.id))")
            return .success
        }
    }
}
