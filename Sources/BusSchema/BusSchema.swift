// The schema module: envelope, values, messages, validation, catalogue.
