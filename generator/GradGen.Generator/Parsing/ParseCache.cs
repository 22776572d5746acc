using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>
/// Parsing once per method for as long as its meaning cannot have changed. Roslyn runs the parse transform of every
/// <c>[Differentiable]</c> method again after any edit, since each edit makes a new compilation; in an IDE that is every
/// keystroke. A method's meaning depends on its own syntax, on the declarations of the compilation (signatures, members,
/// attributes, constants: anything but method bodies) and its references, and on the bodies it read (callees read in
/// place, or looked at to decide so), and, for its diagnostics' places, on the files they are in. So its result is kept
/// against its syntax node (the same object while its file is unedited), a fingerprint of every file's declarations with
/// method bodies left out, and the other files it read bodies of or placed diagnostics in, and given back while all three
/// still hold; after an edit elsewhere in its file, while its tokens are unchanged too. An edit inside one method's
/// body therefore parses again that method alone. Nothing kept holds a syntax tree or a reference alive past its
/// compilation.
/// </summary>
internal static class ParseCache
{
    /// <summary>A parse's result and what it depended on beyond its own syntax node.</summary>
    private sealed class Entry(ParseResult result, Declarations declarations, SyntaxTree[] files)
    {
        public ParseResult Result { get; } = result;
        public Declarations Declarations { get; } = declarations;
        /// <summary>The other files it depends on as a whole: bodies it read, places of its diagnostics.</summary>
        public SyntaxTree[] Files { get; } = files;
    }

    /// <summary>
    /// A compilation's declarations: the hash of its files' declarations, its references (by <see cref="Identity"/>, so that
    /// a kept parse does not keep an old compilation's references and their metadata alive after a package update), its
    /// options.
    /// </summary>
    private sealed class Declarations(byte[] hash, long[] references, CompilationOptions options)
    {
        private readonly byte[] _hash = hash;
        private readonly long[] _references = references;
        private readonly CompilationOptions _options = options;

        public bool SameAs(Declarations other) =>
            ReferenceEquals(this, other) || _hash.SequenceEqual(other._hash) && _references.SequenceEqual(other._references) && _options.Equals(other._options);
    }

    /// <summary>A number for each reference object, never given to another: the same number is the same object.</summary>
    private sealed class Identity
    {
        private static long s_last;

        public long Number { get; } = Interlocked.Increment(ref s_last);
    }

    private static readonly ConditionalWeakTable<MetadataReference, Identity> s_references = new();

    private static readonly ConditionalWeakTable<SyntaxNode, Entry> s_entries = new();

    /// <summary>
    /// The same, found by the method's tokens after an edit elsewhere in its file (which makes its syntax node a new object):
    /// a method whose tokens, file and declarations are unchanged, which read no other body and reported nothing (a
    /// diagnostic would have moved with the edit), means what it meant. One entry per method of a file, replaced by each
    /// parse; it holds no syntax. Methods renamed, moved or deleted leave their entries behind, so the table is emptied
    /// when a new method would make it hold more than <see cref="KeptMethods"/>: the methods of an edited file are then
    /// parsed again once.
    /// </summary>
    private static readonly ConcurrentDictionary<string, (string Tokens, Entry Entry)> s_methods = new();

    /// <summary>The most methods <see cref="s_methods"/> holds: ten times a project of 200 <c>[Differentiable]</c> methods.</summary>
    internal const int KeptMethods = 2048;

    /// <summary>How many methods are kept by their tokens: what the tests of the cache's bound count.</summary>
    internal static int MethodsKept => s_methods.Count;

    /// <summary>Each compilation's declarations, and each file's hash of them (unedited files keep theirs).</summary>
    private static readonly ConditionalWeakTable<Compilation, Declarations> s_compilations = new();
    private static readonly ConditionalWeakTable<SyntaxTree, byte[]> s_trees = new();

    /// <summary>How many methods this thread has parsed (rather than found kept): what the tests of the cache count.</summary>
    [ThreadStatic]
    internal static int ParsesOnThisThread;

    /// <summary>The kept result of parsing <paramref name="context"/>'s method, or <paramref name="parse"/>'s, kept.</summary>
    public static ParseResult GetOrParse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation, Func<GeneratorAttributeSyntaxContext, CancellationToken, (ParseResult Result, SyntaxTree[] BodiesRead)> parse)
    {
        var compilation = context.SemanticModel.Compilation;
        var declarations = s_compilations.GetValue(compilation, Fingerprint);
        if (s_entries.TryGetValue(context.TargetNode, out var entry) && entry.Declarations.SameAs(declarations) && entry.Files.All(compilation.ContainsSyntaxTree))
        {
            return entry.Result;
        }
        var method = context.TargetNode.SyntaxTree.FilePath + "|" + context.TargetSymbol.ToDisplayString();
        var tokens = Text(context.TargetNode.DescendantTokens()).ToString();
        if (s_methods.TryGetValue(method, out var kept) && kept.Tokens == tokens && kept.Entry.Declarations.SameAs(declarations))
        {
            Keep(context.TargetNode, kept.Entry);
            return kept.Entry.Result;
        }
        var (result, bodiesRead) = parse(context, cancellation);
        ParsesOnThisThread++;
        // A diagnostic placed in another file (a model member's, say) moves with any edit of that file.
        var placed = new HashSet<string>(result.Diagnostics.Concat(result.Models.SelectMany(type => type.Diagnostics))
            .Select(diagnostic => diagnostic.Location?.FilePath).OfType<string>());
        var dependencies = bodiesRead.Concat(compilation.SyntaxTrees.Where(tree => tree != context.TargetNode.SyntaxTree && placed.Contains(tree.FilePath))).Distinct().ToArray();
        var parsed = new Entry(result, declarations, dependencies);
        Keep(context.TargetNode, parsed);
        if (dependencies.Length == 0 && placed.Count == 0)
        {
            // Writers one at a time, so that the bound holds; readers look without waiting.
            lock (s_methods)
            {
                if (s_methods.Count >= KeptMethods && !s_methods.ContainsKey(method)) s_methods.Clear();
                s_methods[method] = (tokens, parsed);
            }
        }
        else s_methods.TryRemove(method, out _);
        return result;
    }

    private static void Keep(SyntaxNode node, Entry entry)
    {
        lock (s_entries)
        {
            s_entries.Remove(node);
            s_entries.Add(node, entry);
        }
    }

    private static Declarations Fingerprint(Compilation compilation)
    {
        using var sha = SHA256.Create();
        var trees = compilation.SyntaxTrees.Select(tree => s_trees.GetValue(tree, DeclarationsOf)).ToList();
        var all = new byte[trees.Count * 32];
        for (var i = 0; i < trees.Count; i++) Buffer.BlockCopy(trees[i], 0, all, i * 32, 32);
        var references = compilation.References.Select(reference => s_references.GetValue(reference, _ => new Identity()).Number).ToArray();
        return new Declarations(sha.ComputeHash(all), references, compilation.Options);
    }

    /// <summary>The hash of a file's text without the bodies of its methods, constructors, operators and finalizers.</summary>
    private static byte[] DeclarationsOf(SyntaxTree tree)
    {
        var text = Text(tree.GetRoot().DescendantTokens(node => !IsBody(node))).Append(tree.FilePath);
        using var sha = SHA256.Create();
        return sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// The tokens' text with the trivia that changes meaning: skipped tokens (what a syntax error left out of the tree),
    /// directives and the code they disable; not whitespace or comments. Tokens alone took a method with a stray token
    /// for the same method without it, and gave back its parse (no output) after the error was mended.
    /// </summary>
    private static StringBuilder Text(IEnumerable<SyntaxToken> tokens)
    {
        var text = new StringBuilder();
        foreach (var token in tokens)
        {
            foreach (var trivia in token.LeadingTrivia.Where(Significant)) text.Append(trivia.ToFullString()).Append(' ');
            text.Append(token.Text).Append(' ');
            foreach (var trivia in token.TrailingTrivia.Where(Significant)) text.Append(trivia.ToFullString()).Append(' ');
        }
        return text;
    }

    private static bool Significant(SyntaxTrivia trivia) =>
        trivia.IsDirective || trivia.IsKind(SyntaxKind.SkippedTokensTrivia) || trivia.IsKind(SyntaxKind.DisabledTextTrivia);

    private static bool IsBody(SyntaxNode node) => node is BlockSyntax or ArrowExpressionClauseSyntax && node.Parent is BaseMethodDeclarationSyntax;
}
