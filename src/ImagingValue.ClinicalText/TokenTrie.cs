namespace ImagingValue.ClinicalText;

/// <summary>
/// A trie keyed by whole tokens, built once. Finding the longest rule at a position costs one dictionary lookup
/// per token walked, independent of how many rules there are.
/// </summary>
internal sealed class TokenTrie<T>
{
    private readonly Node _root = new();

    public bool IsEmpty => _root.Children is null;

    public void Add(IReadOnlyList<string> key, T value)
    {
        var node = _root;
        foreach (var part in key)
        {
            node.Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!node.Children.TryGetValue(part, out var next))
            {
                next = new Node();
                node.Children.Add(part, next);
            }

            node = next;
        }

        (node.Values ??= []).Add(value);
    }

    /// <summary>The longest key starting at <paramref name="start"/>; returns its token count (0 when none).</summary>
    public int LongestMatch(List<Token> tokens, int start, int end, bool cased, out List<T>? values)
    {
        values = null;
        var best = 0;
        var node = _root;
        for (var i = start; i < end && node.Children is not null; i++)
        {
            var key = cased ? tokens[i].Cased : tokens[i].Norm;
            if (!node.Children.TryGetValue(key, out node))
            {
                break;
            }

            if (node.Values is not null)
            {
                best = i - start + 1;
                values = node.Values;
            }
        }

        return best;
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Children { get; set; }

        public List<T>? Values { get; set; }
    }
}
