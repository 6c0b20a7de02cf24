using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>RFC 9457 problem details for every refusal, each saying what is wrong in words a caller can act on.</summary>
public static class Problems
{
    public static IResult BadRequest(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: "One or more fields are not valid; see errors.", title: "The request is not valid");

    public static IResult NotFound(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Conflict(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Not possible in the current state");

    public static IResult Unprocessable(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The request cannot be processed");

    public static IResult Gone(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status410Gone, title: "Closed");

    public static IResult TooLarge(int limitBytes) =>
        Results.Problem(
            detail: $"The body is larger than the {limitBytes / 1024} KiB this route accepts.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Payload too large");

    public static IResult UnsupportedMediaType(string expected) =>
        Results.Problem(
            detail: $"Send the body as {expected}.",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");

    public static IResult Unauthorized(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Not authorised");

    public static IResult Forbidden(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static IResult ServiceUnavailable(string detail, string title = "Not available", int? retryAfterSeconds = null) =>
        retryAfterSeconds is { } seconds
            ? new WithRetryAfter(Results.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title), seconds)
            : Results.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title);

    /// <summary>A refusal that says when to try again.</summary>
    sealed class WithRetryAfter(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
