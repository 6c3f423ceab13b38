"""Models and the curation logic built on them: ONNX Runtime on the CPU, no Qt, no torch."""
