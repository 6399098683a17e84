using System.Runtime.CompilerServices;

// The tokenizer and splitter are internal; their tests pin behaviour the public API relies on.
[assembly: InternalsVisibleTo("ImagingValue.ClinicalText.Tests")]
