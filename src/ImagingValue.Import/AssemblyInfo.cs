using System.Runtime.CompilerServices;

// FhirImporter.ParsingLine is internal: the FHIR import's failure tests fail or cancel a parse at a given line with it.
[assembly: InternalsVisibleTo("ImagingValue.Import.Tests")]
