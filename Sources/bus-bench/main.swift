// Kafka layer benchmarks: filled in with the layer.
