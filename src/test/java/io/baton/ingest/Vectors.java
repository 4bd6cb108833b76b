package io.baton.ingest;

/** The test vectors of the channel protocols, verbatim. */
final class Vectors {

  static final String GITHUB_KEY = "It's a Secret to Everybody";
  static final String GITHUB_MESSAGE = "Hello, World!";
  static final String GITHUB_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  static final String META_SECRET = "test_app_secret_123";
  /** 420 bytes exactly, no trailing newline. */
  static final String WHATSAPP_BODY = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\","
      + "\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
      + "\"15550783881\",\"phone_number_id\":\"106540352242922\"},\"contacts\":[{\"profile\":{\"name\":\"Ana Test\"},"
      + "\"wa_id\":\"16505551234\"}],\"messages\":[{\"from\":\"16505551234\",\"id\":\"wamid.TEST0001\",\"timestamp\":"
      + "\"1749416383\",\"type\":\"text\",\"text\":{\"body\":\"Hola\"}}]},\"field\":\"messages\"}]}]}";
  static final String WHATSAPP_SIGNATURE = "sha256=372246c90bcc5963039c28cb51eba49eaaced36e86a6cfd6a33bcce9fac3984b";

  static final String X_SECRET = "test_consumer_secret_456";
  static final String X_CRC_TOKEN = "challenge_string_abc";
  static final String X_CRC_ANSWER = "{\"response_token\":\"sha256=KFtcU9vsmrTZHKfvllJm475/19bX1NHiAu472BFJKn8=\"}";
  static final String X_BODY = "{\"for_user_id\":\"4337869213\",\"direct_message_events\":[{\"type\":\"message_create\","
      + "\"id\":\"954491830116155396\",\"created_timestamp\":\"1516403560557\",\"message_create\":{\"target\":"
      + "{\"recipient_id\":\"4337869213\"},\"sender_id\":\"3001969357\",\"message_data\":{\"text\":\"Hello World!\"}}}]}";
  static final String X_SIGNATURE = "sha256=QGgHcO0QRbxwEi5WRA0qD+F2W30OBfMoZwe6LbfGj4M=";

  static final String SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String SW_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long SW_TIMESTAMP = 1614265330L;
  static final String SW_BODY = "{\"test\": 2432232314}";
  static final String SW_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private Vectors() {
  }
}
