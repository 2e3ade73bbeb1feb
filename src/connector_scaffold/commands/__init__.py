"""One module per `scaffold` verb: build the request's plan (from a target), then show or apply it and report."""
