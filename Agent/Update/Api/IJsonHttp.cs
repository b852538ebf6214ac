namespace SecureOta.Agent.Update.Api
{
    /// <summary>
    /// The HTTP seam of the device API: one JSON POST. Device: HttpWebRequest; host: HttpClient.
    /// Never throws for a network condition.
    /// </summary>
    public interface IJsonHttp
    {
        /// <summary>
        /// POSTs json (Content-Type application/json) with "Authorization: Bearer bearer" when bearer
        /// is not null. Returns the HTTP status with the body in responseBody[0] (at most
        /// Json.MaxDocument characters, else the call fails), or -1 with the reason in failure[0].
        /// </summary>
        int Post(string url, string bearer, string json, string[] responseBody, string[] failure);
    }
}
