using Microsoft.AspNetCore.Http;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Http;
using MultilateralFlows.Pages.Reply;
using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Replies;

/// <summary>
/// The pages behind a reply link: the form (works without JavaScript, fits a phone), the confirmation, and the
/// notices for a closed round or an invalid link. The markup is in the Razor components under <c>Pages/Reply</c>, which
/// encode every text they are given; this is their typed front door.
/// </summary>
public static class ReplyPage
{
    public static Task<HtmlPage> FormAsync(
        int statusCode,
        RoundRecord record,
        string participantName,
        IReadOnlyDictionary<string, ItemReply> answers,
        int currentVersion,
        ReplyPageTexts texts,
        IReadOnlyDictionary<string, string[]>? errors = null,
        string? seat = null,
        IReadOnlyDictionary<string, Participant>? directory = null) =>
        ComponentHtml.PageAsync<ReplyForm>(statusCode, new Dictionary<string, object?>
        {
            [nameof(ReplyForm.Record)] = record,
            [nameof(ReplyForm.ParticipantName)] = participantName,
            [nameof(ReplyForm.Answers)] = answers,
            [nameof(ReplyForm.CurrentVersion)] = currentVersion,
            [nameof(ReplyForm.Texts)] = texts,
            [nameof(ReplyForm.Errors)] = errors,
            [nameof(ReplyForm.Seat)] = seat,
            [nameof(ReplyForm.Directory)] = directory,
        });

    public static Task<HtmlPage> ConfirmationAsync(
        RoundRecord record,
        string participantName,
        int version,
        DateTimeOffset submittedAt,
        IReadOnlyList<ItemReply> replies,
        ReplyPageTexts texts) =>
        ComponentHtml.PageAsync<ReplyConfirmation>(StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            [nameof(ReplyConfirmation.Record)] = record,
            [nameof(ReplyConfirmation.ParticipantName)] = participantName,
            [nameof(ReplyConfirmation.Version)] = version,
            [nameof(ReplyConfirmation.SubmittedAt)] = submittedAt,
            [nameof(ReplyConfirmation.Replies)] = replies,
            [nameof(ReplyConfirmation.Texts)] = texts,
        });

    /// <summary>410: the round takes no more replies.</summary>
    public static Task<HtmlPage> ClosedAsync(RoundDefinition round, ReplyPageTexts texts) =>
        ComponentHtml.PageAsync<ReplyClosed>(StatusCodes.Status410Gone, new Dictionary<string, object?>
        {
            [nameof(ReplyClosed.Round)] = round,
            [nameof(ReplyClosed.Texts)] = texts,
        });

    /// <summary>404: nothing is known about whoever holds the link.</summary>
    public static Task<HtmlPage> InvalidLinkAsync() =>
        ComponentHtml.PageAsync<InvalidLink>(StatusCodes.Status404NotFound, new Dictionary<string, object?>());
}
