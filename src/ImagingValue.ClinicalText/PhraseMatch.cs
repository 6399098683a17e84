namespace ImagingValue.ClinicalText;

/// <summary>A rule match over tokens [<see cref="Start"/>, <see cref="End"/>) of a sentence.</summary>
internal readonly record struct PhraseMatch<T>(int Start, int End, IReadOnlyList<T> Rules);
