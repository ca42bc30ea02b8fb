using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace BoneMetRT.Api.Tests.TestSupport;

/// <summary>Keeps everything logged, at every level: messages, structured values, exceptions and scopes.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>One text per log call: category, level, message, structured values, exception and scopes.</summary>
    public ConcurrentQueue<string> Entries { get; } = new();

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private static string Describe(object? value) => value switch
    {
        null => "",
        IEnumerable<KeyValuePair<string, object?>> pairs => string.Join("; ", pairs.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}")) + " | " + value,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            owner._scopes.ForEachScope((scope, list) => list.Add(Describe(scope)), scopes);
            owner.Entries.Enqueue($"{category} [{logLevel}] {formatter(state, exception)} || {Describe(state)} || {exception} || {string.Join(" / ", scopes)}");
        }
    }
}
